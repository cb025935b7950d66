-- Two changes of V13: audit entries name the API key; member_items are kept per partner.

-- Which key acted, not only which partner: a partner holds up to two keys at once (rotation), and
-- after a leak the entries of the leaked key must be told apart from those of its sibling.
-- Nullable: null for the operator's bootstrap key (configured, not a stored key), for entries
-- written before this column existed, and for adjustments, which ledger_post audits itself from
-- the partner id it is given. Adding a nullable column without a default rewrites no row, so the
-- append-only triggers are not involved. No foreign key: the audit log outlives what it names.
ALTER TABLE audit_log ADD COLUMN api_key_id uuid;

-- What a member bought, per partner that sold it: a partner's recommendations for a member are
-- derived from its own sales to that member only, so they reveal nothing the member bought at
-- another partner; the operator sees them all. The rows are rebuilt from the ledger, which names
-- each counted purchase's partner and items; purchases from before a member's erasure stay
-- forgotten, as the consumer's own rule has it.
ALTER TABLE member_items ADD COLUMN partner_id text;
DELETE FROM member_items;
INSERT INTO member_items (member_id, partner_id, sku, purchases, last_at)
SELECT counted.member_id, t.partner_id, bought.sku, count(*), max(t.occurred_at)
  FROM recommendation_purchases counted
  JOIN transfers t ON t.transfer_id = counted.transfer_id AND t.kind = 'EARN'
  CROSS JOIN LATERAL (
      SELECT DISTINCT item ->> 'sku' AS sku
        FROM jsonb_array_elements(COALESCE(t.metadata -> 'items', '[]'::jsonb)) item
       WHERE item ->> 'sku' IS NOT NULL) bought
  LEFT JOIN recommendation_erasures erasure ON erasure.member_id = counted.member_id
 WHERE erasure.erased_at IS NULL OR erasure.erased_at < t.occurred_at
 GROUP BY counted.member_id, t.partner_id, bought.sku;
ALTER TABLE member_items ALTER COLUMN partner_id SET NOT NULL;
ALTER TABLE member_items DROP CONSTRAINT member_items_pkey;
ALTER TABLE member_items ADD PRIMARY KEY (member_id, partner_id, sku);
DROP INDEX member_items_recent;
CREATE INDEX member_items_recent ON member_items (member_id, partner_id, last_at DESC);
