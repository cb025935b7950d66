-- A/B tests of campaigns: each member's first exposure to a campaign run with variants (an earn
-- that met its conditions), the variant the member is in, and the bonus points the campaign
-- granted them since. The member's own rows, written under the lock of the member's account.
CREATE TABLE campaign_exposures (
    member_id    uuid        NOT NULL,
    campaign_id  uuid        NOT NULL,
    variant      text        NOT NULL CHECK (length(variant) <= 32),
    exposed_at   timestamptz NOT NULL,
    bonus_points bigint      NOT NULL DEFAULT 0 CHECK (bonus_points >= 0),
    PRIMARY KEY (member_id, campaign_id)
);

CREATE INDEX campaign_exposures_by_campaign ON campaign_exposures (campaign_id, variant);

GRANT SELECT, INSERT, UPDATE ON campaign_exposures TO "${runtime_role}";
