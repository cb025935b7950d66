-- Members: who they are. Personal data lives here and nowhere in the ledger.
CREATE TABLE members (
    member_id          uuid        PRIMARY KEY,
    external_id        text        UNIQUE CHECK (length(external_id) <= 64),
    name               text        NOT NULL CHECK (length(name) <= 100),
    email              text,
    phone              text,
    birth_date         date,
    enrollment_channel text        NOT NULL CHECK (enrollment_channel IN ('ONLINE', 'OFFLINE')),
    enrolled_at        timestamptz NOT NULL DEFAULT now()
);

-- The member's account: derived state, always provable from the transfers (see reconciliation).
-- The only row a ledger write locks; fillfactor leaves room for HOT updates of the hot counters.
CREATE TABLE member_accounts (
    member_id  uuid        PRIMARY KEY REFERENCES members (member_id),
    tier       text        NOT NULL DEFAULT 'BASIC' CHECK (tier IN ('BASIC', 'SILVER', 'GOLD')),
    posted     bigint      NOT NULL DEFAULT 0,
    held       bigint      NOT NULL DEFAULT 0 CHECK (held >= 0),
    version    bigint      NOT NULL DEFAULT 0 CHECK (version >= 0),
    updated_at timestamptz NOT NULL DEFAULT now()
) WITH (fillfactor = 80);

-- The ledger. Append-only: a mistake is corrected by a new reversing transfer, never an edit.
-- posted_delta and held_delta state each transfer's effect on the account, so that the account
-- row can be recomputed by a plain sum; the kind check ties each effect to its kind.
CREATE TABLE transfers (
    sequence             bigint      GENERATED ALWAYS AS IDENTITY UNIQUE,
    transfer_id          uuid        PRIMARY KEY,
    kind                 text        NOT NULL CHECK (kind IN ('EARN', 'REDEEM', 'HOLD', 'CAPTURE', 'VOID',
                                                              'HOLD_EXPIRED', 'REVERSAL', 'ADJUSTMENT', 'EXPIRY')),
    member_id            uuid        NOT NULL REFERENCES member_accounts (member_id),
    points               bigint      NOT NULL CHECK (points > 0),
    posted_delta         bigint      NOT NULL,
    held_delta           bigint      NOT NULL,
    partner_id           text        NOT NULL,
    channel              text        NOT NULL,
    order_id             text,
    idempotency_key      text,
    related_transfer_id  uuid        REFERENCES transfers (transfer_id),
    amount_minor_units   bigint,
    currency             text,
    occurred_at          timestamptz NOT NULL,
    recorded_at          timestamptz NOT NULL DEFAULT now(),
    metadata             jsonb       NOT NULL DEFAULT '{}'::jsonb,
    CONSTRAINT transfers_effect_matches_kind CHECK (
        (kind = 'EARN'   AND posted_delta = points  AND held_delta = 0) OR
        (kind = 'REDEEM' AND posted_delta = -points AND held_delta = 0)
    )
);

CREATE INDEX transfers_member_history ON transfers (member_id, sequence DESC);

CREATE FUNCTION transfers_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'transfers are append-only: % refused; correct a transfer with a reversing one', TG_OP
        USING ERRCODE = 'LDG00';
END;
$$;

CREATE TRIGGER transfers_append_only_rows
    BEFORE UPDATE OR DELETE ON transfers
    FOR EACH ROW EXECUTE FUNCTION transfers_refuse_change();

CREATE TRIGGER transfers_append_only_truncate
    BEFORE TRUNCATE ON transfers
    FOR EACH STATEMENT EXECUTE FUNCTION transfers_refuse_change();

-- Answers already given, per caller and key, so that a retry replays instead of applying twice.
CREATE TABLE idempotency_keys (
    partner_id          text        NOT NULL,
    idempotency_key     text        NOT NULL CHECK (length(idempotency_key) <= 128),
    request_fingerprint bytea       NOT NULL,
    response_status     integer     NOT NULL,
    response_body       jsonb       NOT NULL,
    created_at          timestamptz NOT NULL DEFAULT now(),
    expires_at          timestamptz NOT NULL,
    PRIMARY KEY (partner_id, idempotency_key)
);

CREATE INDEX idempotency_keys_expiry ON idempotency_keys (expires_at);

-- Events written in the ledger transaction, published later by the relay (at least once).
CREATE TABLE outbox (
    sequence    bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id    uuid        NOT NULL UNIQUE,
    member_id   uuid        NOT NULL,
    event_type  text        NOT NULL,
    payload     jsonb       NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);
