-- Tier qualification, kept by the tiers consumer from ledger events (never by the write path).

-- Qualifying purchases: one row per EARN transfer (the key makes a redelivered event a no-op),
-- reduced by reversals of that earn in proportion to the points reversed.
CREATE TABLE tier_purchases (
    transfer_id        uuid        PRIMARY KEY,
    member_id          uuid        NOT NULL,
    amount_minor_units bigint      NOT NULL CHECK (amount_minor_units >= 0),
    points             bigint      NOT NULL CHECK (points > 0),
    reversed_minor_units bigint    NOT NULL DEFAULT 0,
    occurred_at        timestamptz NOT NULL
);
CREATE INDEX tier_purchases_member ON tier_purchases (member_id, occurred_at);

-- Reversal events already applied (a redelivery changes nothing).
CREATE TABLE tier_reversals_applied (
    transfer_id uuid PRIMARY KEY
);

-- Since when the member holds their tier, and when it is next reviewed for a downgrade.
CREATE TABLE tier_status (
    member_id  uuid        PRIMARY KEY,
    tier       text        NOT NULL,
    since      timestamptz NOT NULL,
    review_at  timestamptz NOT NULL
);
CREATE INDEX tier_status_review ON tier_status (review_at);
