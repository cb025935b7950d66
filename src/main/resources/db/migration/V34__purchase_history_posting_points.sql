-- A purchase history import may, by an explicit option, post the points each purchase earned: an
-- EARN per purchase through the ledger's write path, its lot dated from the purchase.
ALTER TABLE import_jobs ADD COLUMN post_points boolean NOT NULL DEFAULT false;

-- Such an import claims a purchase first (posting_pending), posts its earn, then records the earn
-- (transfer_id; null when it earned nothing still valid) with the chunk's progress. A claim still
-- pending after a restart is posted again under the same key, which replays the earn.
ALTER TABLE purchase_history
    ADD COLUMN posting_pending boolean NOT NULL DEFAULT false,
    ADD COLUMN transfer_id     uuid;

GRANT UPDATE ON purchase_history TO "${runtime_role}";
