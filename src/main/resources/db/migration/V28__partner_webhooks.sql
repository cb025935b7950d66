-- Partner webhooks: a partner subscribes a URL to event types; each event a subscription wants
-- becomes one delivery, tried until the receiver answers 2xx or its retry window (24 h by
-- default) runs out, then kept as DEAD until replayed or purged. Deliveries are written by the
-- webhooks' consumer group from the event stream, never by the write path.
CREATE TABLE webhooks (
    webhook_id  uuid        PRIMARY KEY,
    partner_id  text        NOT NULL REFERENCES partners (partner_id),
    url         text        NOT NULL CHECK (length(url) <= 2048),
    event_types text[]      NOT NULL CHECK (cardinality(event_types) >= 1),
    description text        CHECK (length(description) <= 200),
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX webhooks_by_partner ON webhooks (partner_id, created_at);

-- Signing secrets, encrypted under the personal-data key (bound to the webhook): a webhook signs
-- with each secret not yet expired, so a rotation overlaps old and new for a while.
CREATE TABLE webhook_secrets (
    secret_id   uuid        PRIMARY KEY,
    webhook_id  uuid        NOT NULL REFERENCES webhooks (webhook_id) ON DELETE CASCADE,
    ciphertext  text        NOT NULL,
    prefix      text        NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz
);
CREATE INDEX webhook_secrets_by_webhook ON webhook_secrets (webhook_id);

-- One copy of each event some webhook wanted, whatever the number of webhooks that want it.
CREATE TABLE webhook_events (
    event_id    uuid        PRIMARY KEY,
    event_type  text        NOT NULL,
    payload     text        NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE webhook_deliveries (
    sequence         bigint      GENERATED ALWAYS AS IDENTITY UNIQUE,
    -- Derived from the webhook and the event, so that the event delivered again, even after this
    -- row was purged, has the same id: it is the webhook-id header receivers drop repeats by.
    delivery_id      uuid        PRIMARY KEY,
    webhook_id       uuid        NOT NULL REFERENCES webhooks (webhook_id) ON DELETE CASCADE,
    event_id         uuid        NOT NULL REFERENCES webhook_events (event_id),
    status           text        NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'DELIVERED', 'DEAD')),
    attempts         integer     NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    -- When the next attempt is due; while an attempt is in flight, when it is given up for lost.
    next_attempt_at  timestamptz NOT NULL DEFAULT now(),
    -- Past it, a failed attempt makes the delivery DEAD instead of planning another.
    retry_until      timestamptz NOT NULL,
    last_attempt_at  timestamptz,
    -- Set by each claim: only the attempt that holds the current claim may record its outcome.
    claim_token      uuid,
    last_status_code integer,
    last_error       text        CHECK (length(last_error) <= 500),
    created_at       timestamptz NOT NULL DEFAULT now(),
    delivered_at     timestamptz,
    -- An event delivered again by the broker makes no second delivery.
    UNIQUE (webhook_id, event_id)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (webhook_id, next_attempt_at) WHERE status = 'PENDING';
CREATE INDEX webhook_deliveries_by_webhook ON webhook_deliveries (webhook_id, sequence);
CREATE INDEX webhook_deliveries_by_event ON webhook_deliveries (event_id);
CREATE INDEX webhook_deliveries_settled ON webhook_deliveries (last_attempt_at) WHERE status <> 'PENDING';

-- FOR UPDATE (a secret change, a replay, locking the webhook) needs UPDATE.
GRANT SELECT, INSERT, UPDATE, DELETE ON webhooks TO "${runtime_role}";
GRANT SELECT, INSERT, UPDATE ON webhook_secrets TO "${runtime_role}";
GRANT SELECT, INSERT, DELETE ON webhook_events TO "${runtime_role}";
GRANT SELECT, INSERT, UPDATE, DELETE ON webhook_deliveries TO "${runtime_role}";
