-- Recommendations score by item-item cosine similarity: an item's count and a pair's count become
-- the number of buyers (a member at one partner) of the item, and of both items, instead of the
-- number of purchase events. Repeat purchases no longer inflate what a member buys every week.
ALTER TABLE item_popularity RENAME COLUMN purchases TO buyers;
ALTER TABLE item_pairs RENAME COLUMN count TO buyers;

-- Counted again from what members bought, as the new counting would have: every item a buyer
-- holds, and the pairs among each buyer's 30 most recent items (the bound a purchase links to).
-- Purchases of members whose history was erased are gone from member_items and are not counted.
TRUNCATE item_popularity, item_pairs;

INSERT INTO item_popularity (sku, buyers)
SELECT sku, count(*) FROM member_items GROUP BY sku;

INSERT INTO item_pairs (sku, other_sku, buyers)
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
