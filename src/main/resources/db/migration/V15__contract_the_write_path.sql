-- Every statement below changes the catalogue only (no table is scanned or rewritten), so each
-- lock is brief; the migration gives up rather than queue the ledger's writes behind a lock it
-- waits for (a long transaction on one of these tables): retried, it finds the tables free.
SET LOCAL lock_timeout = '10s';

-- The contract step after the one write path (decided in Java, applied by one statement of typed
-- arrays): the previous release no longer calls the PL/pgSQL write functions, so they go, with
-- the composite type of their batches. ledger_expiring stays: the balance reads call it.
DROP FUNCTION ledger_post(text, boolean, text, bytea, bigint, text, uuid, uuid, timestamptz, jsonb, jsonb),
              ledger_post_batch(jsonb, bigint, timestamptz, jsonb),
              ledger_post_items(jsonb, bigint, timestamptz, jsonb),
              ledger_batch_answers(ledger_batch_write[]),
              ledger_batch_apply(ledger_batch_write[], bigint, timestamptz),
              ledger_batch_decide(ledger_batch_write[], jsonb),
              ledger_batch_expiring(ledger_batch_write[], timestamptz, integer, text),
              ledger_batch_receipt(text, uuid, uuid, bigint, bigint, jsonb, bigint, bigint),
              ledger_consume_lots(uuid, uuid, bigint, uuid, timestamptz),
              ledger_credit_lots(uuid, uuid, bigint, bigint, uuid, timestamptz),
              ledger_expire_holds(timestamptz, integer, integer, text),
              ledger_expire_points(timestamptz, integer, integer, text),
              ledger_publish(uuid, member_accounts);
DROP TYPE ledger_batch_write;

-- Lots and lot movements are derived state, written only by the ledger writer, in the same
-- statement as the transfers they derive from and under the lock of their member's account: a
-- foreign key check on each of their rows (four per earn) re-proves what that statement just did,
-- and took about a sixth of the apply statement's time. The reconciliation checks what the keys
-- guarded, and more: every lot's remainder against its movements, and every movement against its
-- transfer and its lot. The keys of transfers (to the account, to the transfer acted on) and of
-- holds stay: they point at rows other transactions wrote.
ALTER TABLE point_lots DROP CONSTRAINT point_lots_member_id_fkey,
                       DROP CONSTRAINT point_lots_source_transfer_id_fkey;
ALTER TABLE lot_movements DROP CONSTRAINT lot_movements_transfer_id_fkey,
                          DROP CONSTRAINT lot_movements_lot_id_fkey;

-- Event ids are time-ordered UUIDs the writer makes, one per event; consumers deduplicate by them.
-- The outbox is ordered by its sequence, its primary key: a second unique index on every event
-- checked nothing the writer does not already guarantee.
ALTER TABLE outbox DROP CONSTRAINT outbox_event_id_key;

-- A lot records the points its source transfer credited, instead of a lot_movements row that
-- repeated the lot (one row, two index entries and, until above, two key checks per earn).
-- Movements remain for every later change of a lot. So a lot's remainder is its credited points
-- plus its movements; credited is NULL for the lots written before, whose credit is a movement,
-- and for those instances of the previous release write during a rolling deploy.
-- The check is validated by V16, after its backfill, without blocking writes.
ALTER TABLE point_lots ADD COLUMN credited bigint,
                       ADD CONSTRAINT point_lots_credited_positive CHECK (credited > 0) NOT VALID;
