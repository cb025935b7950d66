-- V4 gave every balance that existed before lots one lot (remaining = the balance) and no
-- lot_movements row. Their credit is recorded here, so that each lot's remainder is its credited
-- points plus its movements, as the reconciliation checks. The lots of V4 to V14 that have their
-- credit as a movement by their source transfer, and the lots V15 writes (credited set), are left
-- alone. Row locks only: the ledger keeps writing meanwhile.
UPDATE point_lots l
   SET credited = l.remaining - COALESCE((SELECT sum(m.points) FROM lot_movements m WHERE m.lot_id = l.lot_id), 0)
 WHERE l.credited IS NULL
   AND NOT EXISTS (SELECT 1 FROM lot_movements m WHERE m.lot_id = l.lot_id AND m.transfer_id = l.source_transfer_id);

-- Checks the rows without blocking writes (SHARE UPDATE EXCLUSIVE).
ALTER TABLE point_lots VALIDATE CONSTRAINT point_lots_credited_positive;
