-- Recommendations score by item-item cosine similarity, from the number of buyers (a member at
-- one partner) of each item and of each pair of items, where item_popularity and item_pairs count
-- purchase events. New tables, so that the release before keeps reading and writing the old ones
-- until the rollout ends (expand); a later release drops those (contract). Purchases the release
-- before counts during the rollout reach only the old tables: these are statistics, not money,
-- and the next purchase of each buyer links their items again.
CREATE TABLE item_buyers (
    sku    text   PRIMARY KEY,
    buyers bigint NOT NULL
);
CREATE INDEX item_buyers_rank ON item_buyers (buyers DESC, sku);

-- Buyers of sku who bought other_sku too (both directions are rows).
CREATE TABLE item_pair_buyers (
    sku       text   NOT NULL,
    other_sku text   NOT NULL,
    buyers    bigint NOT NULL,
    PRIMARY KEY (sku, other_sku)
);

-- Counted from what members bought, as far as it is kept: every item a buyer holds, and the pairs
-- among each buyer's 30 most recent items (a purchase pairs its new items with at most 30 earlier
-- ones, so older pairs of a long history are left out as a purchase now would leave them out).
-- Members whose purchase history was erased are no longer in member_items and are not counted.
INSERT INTO item_buyers (sku, buyers)
SELECT sku, count(*) FROM member_items GROUP BY sku;

INSERT INTO item_pair_buyers (sku, other_sku, buyers)
SELECT a.sku, b.sku, count(*)
  FROM (SELECT member_id, partner_id, sku,
               row_number() OVER (PARTITION BY member_id, partner_id ORDER BY last_at DESC, sku) AS recency
          FROM member_items) a
  JOIN (SELECT member_id, partner_id, sku,
               row_number() OVER (PARTITION BY member_id, partner_id ORDER BY last_at DESC, sku) AS recency
          FROM member_items) b
    ON b.member_id = a.member_id AND b.partner_id = a.partner_id AND b.sku <> a.sku
 WHERE a.recency <= 30 AND b.recency <= 30
 GROUP BY a.sku, b.sku;

GRANT SELECT, INSERT, UPDATE ON item_buyers, item_pair_buyers TO "${runtime_role}";
