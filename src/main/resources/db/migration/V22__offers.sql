-- Member-only offers: what a member may use now, by their tier (and, once segments exist, their
-- segments). Written rarely by the operator, read at every look-up of a member's offers.
CREATE TABLE offers (
    offer_id   uuid        PRIMARY KEY,
    sequence   bigint      GENERATED ALWAYS AS IDENTITY UNIQUE,
    definition jsonb       NOT NULL,
    status     text        NOT NULL DEFAULT 'ACTIVE' CHECK (status IN ('ACTIVE', 'ENDED')),
    created_at timestamptz NOT NULL DEFAULT now(),
    created_by text        NOT NULL,
    ended_at   timestamptz
);

GRANT SELECT, INSERT, UPDATE ON offers TO "${runtime_role}";
