-- A member's past comes over once: by an opening balance (a MIGRATION) or by the earns of their
-- past purchases, never both. The write path checks both under the member's lock, for every batch
-- with either; these partial indexes make each check one probe instead of a read of every transfer
-- of the member. Both hold few rows: one opening balance a member, the earns of past purchases.
-- The predicates are repeated word for word by LedgerWriteRepository.PAST_CAME_OVER.
CREATE INDEX transfers_migration_by_member ON transfers (member_id) WHERE kind = 'MIGRATION';
CREATE INDEX transfers_history_earn_by_member ON transfers (member_id)
    WHERE kind = 'EARN' AND partner_id = 'operator' AND idempotency_key LIKE 'purchase-history:%';
