-- Keys ready for a distributed PostgreSQL (Citus, deploy/SCALING.md): every table a member owns is
-- to be split by member_id, so each of its unique keys and foreign keys must hold member_id (a
-- shard can only check uniqueness and references among its own rows), and a table the write path
-- fills must carry member_id to be routed. The new keys keep their old columns first, so every
-- look-up by a transfer, hold or lot id still walks the same index; no index is added.
--
-- On a large database, build the new unique indexes first, without blocking writes, under the
-- names used below (CREATE UNIQUE INDEX CONCURRENTLY transfers_id_member ON transfers
-- (transfer_id, member_id), and so on: deploy/SCALING.md lists them): this migration then only
-- swaps constraints. The new foreign keys are NOT VALID here (nothing scanned) and validated by
-- V18 without blocking writes.
SET LOCAL lock_timeout = '10s';

-- An external id is unique across members: a key without member_id. It moves to a table of its
-- own, split by external id, which enrollment fills first; the column on members stays for reads.
CREATE TABLE member_external_ids (
    external_id text PRIMARY KEY CHECK (length(external_id) <= 64),
    member_id   uuid NOT NULL
);
INSERT INTO member_external_ids (external_id, member_id)
SELECT external_id, member_id FROM members WHERE external_id IS NOT NULL;
ALTER TABLE members DROP CONSTRAINT members_external_id_key;
GRANT SELECT, INSERT, DELETE ON member_external_ids TO "${runtime_role}";

-- Transfers, and what refers to them: a related transfer (a reversal's original, a capture's
-- hold) is always the same member's. The unique sequence goes: an identity never repeats, and
-- nothing looks a transfer up by its sequence alone (history pages by member and sequence).
ALTER TABLE holds DROP CONSTRAINT holds_hold_id_fkey,
                  DROP CONSTRAINT holds_resolved_by_transfer_id_fkey;
ALTER TABLE transfers DROP CONSTRAINT transfers_related_transfer_id_fkey,
                      DROP CONSTRAINT transfers_pkey,
                      DROP CONSTRAINT transfers_sequence_key;
CREATE UNIQUE INDEX IF NOT EXISTS transfers_id_member ON transfers (transfer_id, member_id);
ALTER TABLE transfers ADD CONSTRAINT transfers_pkey PRIMARY KEY USING INDEX transfers_id_member;
ALTER TABLE transfers ADD CONSTRAINT transfers_related_transfer_fkey
    FOREIGN KEY (related_transfer_id, member_id) REFERENCES transfers (transfer_id, member_id) NOT VALID;

ALTER TABLE holds DROP CONSTRAINT holds_pkey;
CREATE UNIQUE INDEX IF NOT EXISTS holds_id_member ON holds (hold_id, member_id);
ALTER TABLE holds ADD CONSTRAINT holds_pkey PRIMARY KEY USING INDEX holds_id_member;
ALTER TABLE holds ADD CONSTRAINT holds_hold_transfer_fkey
        FOREIGN KEY (hold_id, member_id) REFERENCES transfers (transfer_id, member_id) NOT VALID,
    ADD CONSTRAINT holds_resolved_by_transfer_fkey
        FOREIGN KEY (resolved_by_transfer_id, member_id) REFERENCES transfers (transfer_id, member_id) NOT VALID;

ALTER TABLE point_lots DROP CONSTRAINT point_lots_pkey;
CREATE UNIQUE INDEX IF NOT EXISTS point_lots_id_member ON point_lots (lot_id, member_id);
ALTER TABLE point_lots ADD CONSTRAINT point_lots_pkey PRIMARY KEY USING INDEX point_lots_id_member;

ALTER TABLE outbox DROP CONSTRAINT outbox_pkey;
CREATE UNIQUE INDEX IF NOT EXISTS outbox_sequence_member ON outbox (sequence, member_id);
ALTER TABLE outbox ADD CONSTRAINT outbox_pkey PRIMARY KEY USING INDEX outbox_sequence_member;

ALTER TABLE tier_purchases DROP CONSTRAINT tier_purchases_pkey;
CREATE UNIQUE INDEX IF NOT EXISTS tier_purchases_id_member ON tier_purchases (transfer_id, member_id);
ALTER TABLE tier_purchases ADD CONSTRAINT tier_purchases_pkey PRIMARY KEY USING INDEX tier_purchases_id_member;

ALTER TABLE recommendation_purchases DROP CONSTRAINT recommendation_purchases_pkey;
CREATE UNIQUE INDEX IF NOT EXISTS recommendation_purchases_id_member
    ON recommendation_purchases (transfer_id, member_id);
ALTER TABLE recommendation_purchases ADD CONSTRAINT recommendation_purchases_pkey
    PRIMARY KEY USING INDEX recommendation_purchases_id_member;

-- Three tables gain member_id. Rows from before get it from what they name; rows that instances
-- of the release before write during a rolling deploy (which do not name it) get it from a
-- trigger, dropped by the next release. A row whose member cannot be found fails its statement:
-- the write is refused (503, retried), never stored without a member.
ALTER TABLE idempotency_keys ADD COLUMN member_id uuid;
UPDATE idempotency_keys SET member_id = (response_body ->> 'memberId')::uuid;

ALTER TABLE lot_movements ADD COLUMN member_id uuid;
ALTER TABLE lot_movements DISABLE TRIGGER lot_movements_append_only_rows;
UPDATE lot_movements m SET member_id = l.member_id FROM point_lots l WHERE l.lot_id = m.lot_id;
ALTER TABLE lot_movements ENABLE TRIGGER lot_movements_append_only_rows;

ALTER TABLE tier_reversals_applied ADD COLUMN member_id uuid;
UPDATE tier_reversals_applied r SET member_id = t.member_id FROM transfers t WHERE t.transfer_id = r.transfer_id;

CREATE FUNCTION fill_member_for_release_before() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.member_id IS NULL THEN
        IF TG_TABLE_NAME = 'idempotency_keys' THEN
            NEW.member_id := (NEW.response_body ->> 'memberId')::uuid;
        ELSIF TG_TABLE_NAME = 'lot_movements' THEN
            SELECT member_id INTO NEW.member_id FROM point_lots WHERE lot_id = NEW.lot_id;
        ELSE
            SELECT member_id INTO NEW.member_id FROM transfers WHERE transfer_id = NEW.transfer_id;
        END IF;
    END IF;
    RETURN NEW;
END;
$$;
REVOKE EXECUTE ON FUNCTION fill_member_for_release_before() FROM PUBLIC;
CREATE TRIGGER idempotency_keys_member_for_release_before BEFORE INSERT ON idempotency_keys
    FOR EACH ROW EXECUTE FUNCTION fill_member_for_release_before();
CREATE TRIGGER lot_movements_member_for_release_before BEFORE INSERT ON lot_movements
    FOR EACH ROW EXECUTE FUNCTION fill_member_for_release_before();
CREATE TRIGGER tier_reversals_applied_member_for_release_before BEFORE INSERT ON tier_reversals_applied
    FOR EACH ROW EXECUTE FUNCTION fill_member_for_release_before();

ALTER TABLE idempotency_keys ALTER COLUMN member_id SET NOT NULL,
                             DROP CONSTRAINT idempotency_keys_pkey;
CREATE UNIQUE INDEX IF NOT EXISTS idempotency_keys_key_member
    ON idempotency_keys (partner_id, idempotency_key, member_id);
ALTER TABLE idempotency_keys ADD CONSTRAINT idempotency_keys_pkey PRIMARY KEY USING INDEX idempotency_keys_key_member;

ALTER TABLE lot_movements ALTER COLUMN member_id SET NOT NULL,
                          DROP CONSTRAINT lot_movements_pkey;
CREATE UNIQUE INDEX IF NOT EXISTS lot_movements_transfer_lot_member ON lot_movements (transfer_id, lot_id, member_id);
ALTER TABLE lot_movements ADD CONSTRAINT lot_movements_pkey PRIMARY KEY USING INDEX lot_movements_transfer_lot_member;

ALTER TABLE tier_reversals_applied ALTER COLUMN member_id SET NOT NULL,
                                   DROP CONSTRAINT tier_reversals_applied_pkey;
CREATE UNIQUE INDEX IF NOT EXISTS tier_reversals_applied_id_member ON tier_reversals_applied (transfer_id, member_id);
ALTER TABLE tier_reversals_applied ADD CONSTRAINT tier_reversals_applied_pkey
    PRIMARY KEY USING INDEX tier_reversals_applied_id_member;
