-- Item-to-item co-purchase counts, kept by the recommendations consumer from EARN events.

-- Purchases already counted: a redelivered event changes no count.
CREATE TABLE recommendation_purchases (
    transfer_id uuid PRIMARY KEY,
    member_id   uuid NOT NULL
);

-- What each member bought (never recommended back to them).
CREATE TABLE member_items (
    member_id uuid        NOT NULL,
    sku       text        NOT NULL,
    purchases bigint      NOT NULL,
    last_at   timestamptz NOT NULL,
    PRIMARY KEY (member_id, sku)
);
CREATE INDEX member_items_recent ON member_items (member_id, last_at DESC);

-- Members who bought sku, bought other_sku too (same basket or earlier purchase): count of such events.
CREATE TABLE item_pairs (
    sku       text   NOT NULL,
    other_sku text   NOT NULL,
    count     bigint NOT NULL,
    PRIMARY KEY (sku, other_sku)
);

CREATE TABLE item_popularity (
    sku       text   PRIMARY KEY,
    purchases bigint NOT NULL
);
CREATE INDEX item_popularity_rank ON item_popularity (purchases DESC, sku);

-- POINTS_EXPIRING is announced once per lot.
ALTER TABLE point_lots ADD COLUMN expiring_notified_at timestamptz;
CREATE INDEX point_lots_expiring_unnotified ON point_lots (expires_at)
    WHERE remaining > 0 AND expiring_notified_at IS NULL;
