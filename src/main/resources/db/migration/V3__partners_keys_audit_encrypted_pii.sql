-- Partners: who may call, with which scopes and how fast. 'operator' is the program operator
-- itself, whose bootstrap key comes from configuration rather than this table.
CREATE TABLE partners (
    partner_id            text        PRIMARY KEY,
    name                  text        NOT NULL CHECK (length(name) <= 100),
    scopes                text[]      NOT NULL,
    rate_limit_per_second integer     NOT NULL CHECK (rate_limit_per_second > 0),
    created_at            timestamptz NOT NULL DEFAULT now()
);

INSERT INTO partners (partner_id, name, scopes, rate_limit_per_second)
VALUES ('operator', 'Program operator', ARRAY['admin'], 1000000);

-- API keys: only a SHA-256 of each key is stored; the key itself is shown once, at issue.
CREATE TABLE partner_keys (
    key_id     uuid        PRIMARY KEY,
    partner_id text        NOT NULL REFERENCES partners (partner_id),
    key_hash   bytea       NOT NULL UNIQUE,
    key_prefix text        NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    revoked_at timestamptz
);

CREATE INDEX partner_keys_active ON partner_keys (partner_id) WHERE revoked_at IS NULL;

-- Who did what to the program, append-only like the ledger.
CREATE TABLE audit_log (
    sequence    bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    occurred_at timestamptz NOT NULL DEFAULT now(),
    actor       text        NOT NULL,
    action      text        NOT NULL,
    target      text        NOT NULL,
    details     jsonb       NOT NULL DEFAULT '{}'::jsonb
);

CREATE TRIGGER audit_log_append_only_rows
    BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION transfers_refuse_change();

-- Personal data encrypted at rest (AES-GCM, "<key id>:<base64 iv+ciphertext>"), looked up through
-- keyed-hash blind indexes; erasure clears both while the ledger stays.
ALTER TABLE members DROP COLUMN email;
ALTER TABLE members DROP COLUMN phone;
ALTER TABLE members DROP COLUMN birth_date;
ALTER TABLE members ALTER COLUMN name DROP NOT NULL;
ALTER TABLE members ADD COLUMN email_encrypted      text;
ALTER TABLE members ADD COLUMN phone_encrypted      text;
ALTER TABLE members ADD COLUMN birth_date_encrypted text;
ALTER TABLE members ADD COLUMN email_index          bytea;
ALTER TABLE members ADD COLUMN phone_index          bytea;
ALTER TABLE members ADD COLUMN erased_at            timestamptz;

CREATE INDEX members_email_index ON members (email_index) WHERE email_index IS NOT NULL;
CREATE INDEX members_phone_index ON members (phone_index) WHERE phone_index IS NOT NULL;

-- Settlement sums a partner's transfers over a period.
CREATE INDEX transfers_partner_recorded ON transfers (partner_id, recorded_at);
