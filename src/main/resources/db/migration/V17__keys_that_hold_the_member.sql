-- Keys ready for a distributed PostgreSQL (Citus, deploy/SCALING.md): every table a member owns is
-- to be split by member_id, so each of its unique keys and foreign keys must hold member_id (a
-- shard can only check uniqueness and references among its own rows), and a table the write path
-- fills must carry member_id to be routed. The new keys keep their old columns first, so every
-- look-up by a transfer, hold or lot id still walks the same index; no index is added.
--
-- The one migration that needs the service stopped (deploy/README.md, "Upgrading onto V17"): the
-- release before relies on keys it replaces (a GROUP BY on the lot's key, ON CONFLICT on the
-- external id) and writes rows without the new member columns. It rebuilds keys and fills three
-- tables under exclusive locks; the lock timeout makes it fail at once rather than wait behind an
-- instance left running. The new foreign keys are NOT VALID here and validated by V18.
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
CREATE UNIQUE INDEX transfers_id_member ON transfers (transfer_id, member_id);
ALTER TABLE transfers ADD CONSTRAINT transfers_pkey PRIMARY KEY USING INDEX transfers_id_member;
ALTER TABLE transfers ADD CONSTRAINT transfers_related_transfer_fkey
    FOREIGN KEY (related_transfer_id, member_id) REFERENCES transfers (transfer_id, member_id) NOT VALID;

ALTER TABLE holds DROP CONSTRAINT holds_pkey;
CREATE UNIQUE INDEX holds_id_member ON holds (hold_id, member_id);
ALTER TABLE holds ADD CONSTRAINT holds_pkey PRIMARY KEY USING INDEX holds_id_member;
ALTER TABLE holds ADD CONSTRAINT holds_hold_transfer_fkey
        FOREIGN KEY (hold_id, member_id) REFERENCES transfers (transfer_id, member_id) NOT VALID,
    ADD CONSTRAINT holds_resolved_by_transfer_fkey
        FOREIGN KEY (resolved_by_transfer_id, member_id) REFERENCES transfers (transfer_id, member_id) NOT VALID;

ALTER TABLE point_lots DROP CONSTRAINT point_lots_pkey;
CREATE UNIQUE INDEX point_lots_id_member ON point_lots (lot_id, member_id);
ALTER TABLE point_lots ADD CONSTRAINT point_lots_pkey PRIMARY KEY USING INDEX point_lots_id_member;

ALTER TABLE outbox DROP CONSTRAINT outbox_pkey;
CREATE UNIQUE INDEX outbox_sequence_member ON outbox (sequence, member_id);
ALTER TABLE outbox ADD CONSTRAINT outbox_pkey PRIMARY KEY USING INDEX outbox_sequence_member;

ALTER TABLE tier_purchases DROP CONSTRAINT tier_purchases_pkey;
CREATE UNIQUE INDEX tier_purchases_id_member ON tier_purchases (transfer_id, member_id);
ALTER TABLE tier_purchases ADD CONSTRAINT tier_purchases_pkey PRIMARY KEY USING INDEX tier_purchases_id_member;

ALTER TABLE recommendation_purchases DROP CONSTRAINT recommendation_purchases_pkey;
CREATE UNIQUE INDEX recommendation_purchases_id_member
    ON recommendation_purchases (transfer_id, member_id);
ALTER TABLE recommendation_purchases ADD CONSTRAINT recommendation_purchases_pkey
    PRIMARY KEY USING INDEX recommendation_purchases_id_member;

-- Three tables gain member_id, taken from what their rows name. Every stored answer is a receipt
-- or a hold naming its member. A movement's member is its lot's, or its transfer's for a movement
-- whose lot is missing (the reconciliation reports those). A tier marker without its reversal is
-- dropped: the tiers consumer refuses an event naming a transfer the ledger does not have.
ALTER TABLE idempotency_keys ADD COLUMN member_id uuid;
UPDATE idempotency_keys SET member_id = (response_body ->> 'memberId')::uuid;

ALTER TABLE lot_movements ADD COLUMN member_id uuid;
ALTER TABLE lot_movements DISABLE TRIGGER lot_movements_append_only_rows;
UPDATE lot_movements m
   SET member_id = COALESCE((SELECT l.member_id FROM point_lots l WHERE l.lot_id = m.lot_id),
                            (SELECT t.member_id FROM transfers t WHERE t.transfer_id = m.transfer_id));
ALTER TABLE lot_movements ENABLE TRIGGER lot_movements_append_only_rows;

ALTER TABLE tier_reversals_applied ADD COLUMN member_id uuid;
UPDATE tier_reversals_applied r SET member_id = t.member_id FROM transfers t WHERE t.transfer_id = r.transfer_id;
DELETE FROM tier_reversals_applied WHERE member_id IS NULL;

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM idempotency_keys WHERE member_id IS NULL) THEN
        RAISE EXCEPTION 'V17: stored answers without a memberId; list them with SELECT partner_id, idempotency_key '
            'FROM idempotency_keys WHERE response_body ->> ''memberId'' IS NULL';
    END IF;
    IF EXISTS (SELECT 1 FROM lot_movements WHERE member_id IS NULL) THEN
        RAISE EXCEPTION 'V17: lot movements whose lot and transfer are both missing; see the reconciliation report';
    END IF;
END;
$$;

ALTER TABLE idempotency_keys ALTER COLUMN member_id SET NOT NULL,
                             DROP CONSTRAINT idempotency_keys_pkey;
CREATE UNIQUE INDEX idempotency_keys_key_member
    ON idempotency_keys (partner_id, idempotency_key, member_id);
ALTER TABLE idempotency_keys ADD CONSTRAINT idempotency_keys_pkey PRIMARY KEY USING INDEX idempotency_keys_key_member;

ALTER TABLE lot_movements ALTER COLUMN member_id SET NOT NULL,
                          DROP CONSTRAINT lot_movements_pkey;
CREATE UNIQUE INDEX lot_movements_transfer_lot_member ON lot_movements (transfer_id, lot_id, member_id);
ALTER TABLE lot_movements ADD CONSTRAINT lot_movements_pkey PRIMARY KEY USING INDEX lot_movements_transfer_lot_member;

ALTER TABLE tier_reversals_applied ALTER COLUMN member_id SET NOT NULL,
                                   DROP CONSTRAINT tier_reversals_applied_pkey;
CREATE UNIQUE INDEX tier_reversals_applied_id_member ON tier_reversals_applied (transfer_id, member_id);
ALTER TABLE tier_reversals_applied ADD CONSTRAINT tier_reversals_applied_pkey
    PRIMARY KEY USING INDEX tier_reversals_applied_id_member;
