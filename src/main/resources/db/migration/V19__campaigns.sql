-- Campaigns: program rules an operator changes without a deploy. Every change is a new version;
-- the versions are kept as they were (append-only), so that an earn can name the version that
-- decided its bonus. The revision orders every change of every campaign: an instance knows its
-- copy of the active campaigns is current when it holds the highest revision.
CREATE TABLE campaigns (
    campaign_id uuid        PRIMARY KEY,
    sequence    bigint      GENERATED ALWAYS AS IDENTITY UNIQUE,
    version     bigint      NOT NULL CHECK (version >= 1),
    status      text        NOT NULL CHECK (status IN ('DRAFT', 'ACTIVE', 'PAUSED', 'ENDED')),
    definition  jsonb       NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE campaign_versions (
    revision    bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    campaign_id uuid        NOT NULL REFERENCES campaigns (campaign_id),
    version     bigint      NOT NULL,
    status      text        NOT NULL,
    definition  jsonb       NOT NULL,
    changed_at  timestamptz NOT NULL DEFAULT now(),
    changed_by  text        NOT NULL,
    UNIQUE (campaign_id, version)
);

CREATE TRIGGER campaign_versions_append_only_rows
    BEFORE UPDATE OR DELETE ON campaign_versions
    FOR EACH ROW EXECUTE FUNCTION transfers_refuse_change();
CREATE TRIGGER campaign_versions_append_only_truncate
    BEFORE TRUNCATE ON campaign_versions
    FOR EACH STATEMENT EXECUTE FUNCTION transfers_refuse_change();

GRANT SELECT, INSERT, UPDATE ON campaigns TO "${runtime_role}";
GRANT SELECT, INSERT ON campaign_versions TO "${runtime_role}";
