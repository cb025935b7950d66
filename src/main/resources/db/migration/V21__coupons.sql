-- Coupons: definitions an operator writes (what a coupon gives, when, to whom), and the codes
-- issued from them, singly, in batches or by campaigns. A code is single-use: redeeming it is one
-- update of its row, under the lock of the redeeming member's account and of the row itself.
CREATE TABLE coupon_definitions (
    definition_id uuid        PRIMARY KEY,
    sequence      bigint      GENERATED ALWAYS AS IDENTITY UNIQUE,
    definition    jsonb       NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    created_by    text        NOT NULL
);

CREATE TABLE coupon_batches (
    batch_id      uuid        PRIMARY KEY,
    definition_id uuid        NOT NULL REFERENCES coupon_definitions (definition_id),
    requested     integer     NOT NULL CHECK (requested > 0),
    issued        integer     NOT NULL DEFAULT 0 CHECK (issued >= 0 AND issued <= requested),
    status        text        NOT NULL DEFAULT 'RUNNING' CHECK (status IN ('RUNNING', 'DONE')),
    created_at    timestamptz NOT NULL DEFAULT now(),
    created_by    text        NOT NULL,
    updated_at    timestamptz NOT NULL DEFAULT now(),
    finished_at   timestamptz,
    -- The instance issuing the batch's codes, until lease_until: another takes over after that.
    leased_by     text,
    lease_until   timestamptz
);

CREATE TABLE coupons (
    code               text        PRIMARY KEY CHECK (code ~ '^[A-Z0-9]{6,32}$'),
    sequence           bigint      GENERATED ALWAYS AS IDENTITY,
    definition_id      uuid        NOT NULL REFERENCES coupon_definitions (definition_id),
    member_id          uuid,
    batch_id           uuid,
    status             text        NOT NULL DEFAULT 'ISSUED' CHECK (status IN ('ISSUED', 'HELD', 'REDEEMED')),
    issued_at          timestamptz NOT NULL DEFAULT now(),
    held_by_member     uuid,
    held_order_id      text,
    held_by            text,
    held_until         timestamptz,
    redeemed_at        timestamptz,
    redeemed_by_member uuid,
    redeemed_order_id  text,
    redeemed_by        text,
    redeem_key         text,
    redeem_answer      jsonb,
    -- A points coupon redeemed and not yet posted to the ledger: the points still due.
    points_due         bigint      CHECK (points_due > 0),
    CHECK ((status = 'REDEEMED') = (redeemed_at IS NOT NULL)),
    CHECK ((status = 'HELD') = (held_until IS NOT NULL))
);

CREATE INDEX coupons_wallet ON coupons (member_id, sequence) WHERE member_id IS NOT NULL;
CREATE INDEX coupons_of_batch ON coupons (batch_id, sequence) WHERE batch_id IS NOT NULL;
CREATE INDEX coupons_redeemed_by_member ON coupons (redeemed_by_member, definition_id) WHERE status = 'REDEEMED';
CREATE INDEX coupons_held_for_order ON coupons (held_by_member, held_order_id) WHERE status = 'HELD';
CREATE INDEX coupons_points_due ON coupons (redeemed_at) WHERE points_due IS NOT NULL;

GRANT SELECT, INSERT ON coupon_definitions TO "${runtime_role}";
GRANT SELECT, INSERT, UPDATE ON coupon_batches TO "${runtime_role}";
GRANT SELECT, INSERT, UPDATE ON coupons TO "${runtime_role}";
