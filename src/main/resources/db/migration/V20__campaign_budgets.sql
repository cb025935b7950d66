-- Budgets of campaigns, and the occasions they reward once. A campaign's total budget is one counter, locked by each batch that may
-- grant from it (after the batch's accounts, in campaign order) and raised in the batch's
-- transaction: so no two batches can both spend its last points. Every campaign has its row, made
-- with the campaign, so that a budget set later has a row to lock.
CREATE TABLE campaign_budgets (
    campaign_id uuid        PRIMARY KEY REFERENCES campaigns (campaign_id),
    granted     bigint      NOT NULL DEFAULT 0 CHECK (granted >= 0),
    updated_at  timestamptz NOT NULL DEFAULT now()
);

INSERT INTO campaign_budgets (campaign_id) SELECT campaign_id FROM campaigns;

-- What each member was granted by each campaign that caps it per member: the member's own rows,
-- read and written under the lock of the member's account, so no lock of their own is needed.
-- Derived state written by the write path beside the transfers it counts, so without foreign keys
-- to check on the hot path (as lots and movements, V15).
CREATE TABLE campaign_member_grants (
    member_id   uuid        NOT NULL,
    campaign_id uuid        NOT NULL,
    granted     bigint      NOT NULL CHECK (granted >= 0),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (member_id, campaign_id)
);

GRANT SELECT, INSERT, UPDATE ON campaign_budgets TO "${runtime_role}";
GRANT SELECT, INSERT, UPDATE ON campaign_member_grants TO "${runtime_role}";

-- The occasions campaigns that grant once per member and occasion rewarded (a signup, a first
-- purchase, a birthday month of one year, an arrival in one tier): kept, so that an occasion
-- reported again (an event delivered twice, a job run twice) is rewarded once, however late.
-- The member's own rows, read and written under the lock of the member's account.
CREATE TABLE campaign_occasions (
    member_id   uuid        NOT NULL,
    campaign_id uuid        NOT NULL,
    occasion    text        NOT NULL CHECK (length(occasion) <= 64),
    granted_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (member_id, campaign_id, occasion)
);

GRANT SELECT, INSERT ON campaign_occasions TO "${runtime_role}";
