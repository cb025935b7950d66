-- Set-based group commit. V7 applied a batch as a loop of ledger_post calls: a dozen PL/pgSQL
-- statements per write, and statement execution, not commits or index upkeep, was what capped
-- earns per second. Here a batch of earns, redeems and holds is applied in rounds: round n holds
-- the n-th write of every member in the batch, so a round has at most one write per member and
-- runs as three statements whatever its size — decide (lock, look up keys, check balances), write
-- (transfers, lots, lot movements, holds, accounts, stored answers, outbox events, each one
-- INSERT or UPDATE for the whole round) and read back the expiring points. Rounds run in order,
-- so a member's writes still apply in arrival order, each seeing the one before.
--
-- The answers are those ledger_post gives for the same writes (receipts, refusals, replays), and
-- ledger_post stays the reference: a batch with another kind of write, or a round that fails for
-- any reason (an idempotency key committed meanwhile by another member's write, a fault), is
-- applied from that point by ledger_post_items, one sub-transaction per write, exactly as in V7.
--
-- Locks: the first round holds every member of the batch and locks their accounts in member
-- order in one statement; later rounds touch no one else, so batches cannot deadlock each other
-- or the member-ordered expiry jobs.

-- V7's per-write loop stays, under its own name, as the fallback; its body is unchanged.
ALTER FUNCTION ledger_post_batch(jsonb, bigint, timestamptz, jsonb) RENAME TO ledger_post_items;

-- One write of a batch through its life: as asked (item_index..request), as decided (outcome..
-- version: the account after it when APPLIED, as found otherwise), and its expiring points.
CREATE TYPE ledger_batch_write AS (
    item_index      integer,
    round           integer,
    partner_id      text,
    idempotency_key text,
    fingerprint     bytea,
    kind            text,
    member_id       uuid,
    request         jsonb,
    outcome         text,
    response_status integer,
    receipt         jsonb,
    transfer_id     uuid,
    points          bigint,
    posted_delta    bigint,
    held_delta      bigint,
    tier            text,
    posted          bigint,
    held            bigint,
    version         bigint,
    expiring        jsonb
);

-- The answer to an applied earn, redeem or hold: the same receipt ledger_post gives.
CREATE FUNCTION ledger_batch_receipt(p_kind text, p_transfer_id uuid, p_member_id uuid, p_points bigint,
                                     p_posted_delta bigint, p_request jsonb, p_posted bigint, p_held bigint)
RETURNS jsonb LANGUAGE sql STABLE AS $$
    SELECT CASE WHEN p_kind = 'HOLD' THEN jsonb_build_object(
                    'holdId', p_transfer_id, 'memberId', p_member_id, 'status', 'PENDING', 'points', p_points,
                    'capturedPoints', 0, 'expiresAt', (p_request ->> 'holdExpiresAt')::timestamptz,
                    'orderId', p_request ->> 'orderId', 'transactionId', p_transfer_id,
                    'available', p_posted - p_held, 'posted', p_posted, 'held', p_held)
                ELSE jsonb_build_object(
                    'transactionId', p_transfer_id, 'memberId', p_member_id, 'kind', p_kind, 'points', p_points,
                    'postedDelta', p_posted_delta, 'relatedTransactionId', NULL::uuid,
                    'available', p_posted - p_held, 'posted', p_posted, 'held', p_held) END
$$;

-- Decides one round: locks the accounts in member order, looks up the idempotency keys, and
-- applies ledger_post's rules for EARN, REDEEM and HOLD. Writes nothing but the locks. Balances
-- are checked on the locked rows (their latest versions); the key look-up reads the statement's
-- snapshot, taken before any lock wait, so a key committed by the write that held a lock can be
-- missed here: ledger_batch_apply's count of stored answers catches it, and the round falls back.
CREATE FUNCTION ledger_batch_decide(p_round ledger_batch_write[], p_rules jsonb)
RETURNS ledger_batch_write[] LANGUAGE plpgsql AS $$
DECLARE
    v_decided ledger_batch_write[];
BEGIN
    WITH accounts AS MATERIALIZED (
        SELECT a.member_id, a.tier, a.posted, a.held, a.version
          FROM member_accounts a
         WHERE a.member_id IN (SELECT w.member_id FROM unnest(p_round) w)
         ORDER BY a.member_id
           FOR UPDATE
    ), found AS (
        SELECT w.item_index, w.round, w.partner_id, w.idempotency_key, w.fingerprint, w.kind, w.member_id, w.request,
               a.member_id IS NOT NULL AS member_found, a.tier, a.posted, a.held, a.version,
               k.request_fingerprint, k.response_status AS stored_status, k.response_body AS stored_body,
               -- Integer arithmetic only: floor(amount x multiplier / (minor units per point x 10 000)).
               CASE WHEN w.kind = 'EARN'
                    THEN COALESCE((w.request ->> 'points')::bigint,
                                  (w.request ->> 'amount')::bigint * ((p_rules -> 'multiplierBasisPoints' ->> a.tier)::bigint)
                                      / ((p_rules ->> 'minorUnitsPerPoint')::bigint * 10000))
                    ELSE (w.request ->> 'points')::bigint END AS points
          FROM unnest(p_round) w
          LEFT JOIN accounts a ON a.member_id = w.member_id
          LEFT JOIN idempotency_keys k ON k.partner_id = w.partner_id AND k.idempotency_key = w.idempotency_key
    ), decided AS MATERIALIZED (
        SELECT f.*,
               CASE WHEN NOT f.member_found THEN 'MEMBER_NOT_FOUND'
                    WHEN f.stored_status IS NOT NULL
                        THEN CASE WHEN f.request_fingerprint = f.fingerprint THEN 'REPLAYED' ELSE 'IDEMPOTENCY_KEY_REUSED' END
                    WHEN f.kind = 'EARN' AND f.points <= 0 THEN 'NO_POINTS_EARNED'
                    WHEN f.kind IN ('REDEEM', 'HOLD') AND f.posted - f.held < f.points THEN 'INSUFFICIENT_POINTS'
                    ELSE 'APPLIED' END AS outcome,
               CASE f.kind WHEN 'EARN' THEN f.points WHEN 'REDEEM' THEN -f.points ELSE 0 END AS posted_delta,
               CASE f.kind WHEN 'HOLD' THEN f.points ELSE 0 END AS held_delta,
               gen_random_uuid() AS transfer_id
          FROM found f
    ), settled AS (
        SELECT d.*,
               d.posted + CASE WHEN d.outcome = 'APPLIED' THEN d.posted_delta ELSE 0 END AS posted_after,
               d.held + CASE WHEN d.outcome = 'APPLIED' THEN d.held_delta ELSE 0 END AS held_after,
               d.version + CASE WHEN d.outcome = 'APPLIED' THEN 1 ELSE 0 END AS version_after
          FROM decided d
    )
    SELECT array_agg(ROW(
               s.item_index, s.round, s.partner_id, s.idempotency_key, s.fingerprint, s.kind, s.member_id, s.request,
               s.outcome,
               CASE s.outcome WHEN 'APPLIED' THEN 201
                              WHEN 'REPLAYED' THEN s.stored_status
                              WHEN 'IDEMPOTENCY_KEY_REUSED' THEN s.stored_status END,
               CASE s.outcome
                   WHEN 'MEMBER_NOT_FOUND' THEN NULL
                   WHEN 'REPLAYED' THEN s.stored_body
                   WHEN 'IDEMPOTENCY_KEY_REUSED' THEN s.stored_body
                   WHEN 'NO_POINTS_EARNED' THEN jsonb_build_object('amount', s.request -> 'amount')
                   WHEN 'INSUFFICIENT_POINTS' THEN jsonb_build_object('available', s.posted - s.held, 'requested', s.points)
                   ELSE ledger_batch_receipt(s.kind, s.transfer_id, s.member_id, s.points, s.posted_delta, s.request,
                                             s.posted_after, s.held_after) END,
               CASE WHEN s.outcome = 'APPLIED' THEN s.transfer_id END,
               s.points, s.posted_delta, s.held_delta,
               s.tier, s.posted_after, s.held_after, s.version_after,
               NULL::jsonb)::ledger_batch_write
           ORDER BY s.member_id)
      INTO v_decided
      FROM settled s;
    RETURN v_decided;
END;
$$;

-- Writes one decided round: every table the round touches gets one INSERT or UPDATE for all its
-- applied writes. The rows of one statement are checked against each other's foreign keys at its
-- end, so the transfers, lots and holds can be written side by side. Answers how many stored
-- answers were written: fewer than the applied writes means a key was taken meanwhile.
CREATE FUNCTION ledger_batch_apply(p_round ledger_batch_write[], p_key_retention_seconds bigint, p_now timestamptz)
RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    v_answered bigint;
BEGIN
    WITH RECURSIVE applied AS MATERIALIZED (
        SELECT w.*, w.posted - w.posted_delta AS posted_before,
               COALESCE((w.request ->> 'occurredAt')::timestamptz, p_now) AS occurred_at,
               COALESCE(w.request ->> 'channel', 'OPERATOR') AS channel,
               CASE WHEN w.kind = 'EARN' THEN COALESCE(w.request -> 'items', '[]'::jsonb) END AS items
          FROM unnest(p_round) w
         WHERE w.outcome = 'APPLIED'
    ), transfers_written AS (
        INSERT INTO transfers (transfer_id, kind, member_id, points, posted_delta, held_delta, partner_id, channel,
                               order_id, idempotency_key, amount_minor_units, currency, occurred_at, metadata)
        SELECT a.transfer_id, a.kind, a.member_id, a.points, a.posted_delta, a.held_delta, a.partner_id, a.channel,
               a.request ->> 'orderId', a.idempotency_key, (a.request ->> 'amount')::bigint, a.request ->> 'currency',
               a.occurred_at,
               CASE WHEN a.kind = 'EARN' THEN jsonb_build_object('items', a.items) ELSE '{}'::jsonb END
          FROM applied a
         ORDER BY a.member_id
    ), lots_created AS (
        -- An earn first repays what the member owes (posted below zero); the rest is a new lot.
        INSERT INTO point_lots (member_id, source_transfer_id, expires_at, remaining)
        SELECT a.member_id, a.transfer_id, (a.request ->> 'lotExpiresAt')::timestamptz,
               a.points - GREATEST(-a.posted_before, 0)
          FROM applied a
         WHERE a.kind = 'EARN' AND a.points > GREATEST(-a.posted_before, 0)
        RETURNING lot_id, source_transfer_id, remaining
    ), credits AS (
        INSERT INTO lot_movements (transfer_id, lot_id, points)
        SELECT c.source_transfer_id, c.lot_id, c.remaining FROM lots_created c
    ), spendable (transfer_id, member_id, wanted, lot_id, expires_at, remaining, before) AS (
        -- A redeem spends the soonest-expiring lots first, each lot giving what the redeem still
        -- needs after the lots before it. Walked one lot at a time along the member's FIFO index
        -- and stopped once enough is found, so a member with many lots reads only those spent.
        SELECT a.transfer_id, a.member_id, a.points, first_lot.lot_id, first_lot.expires_at,
               first_lot.remaining, 0::bigint
          FROM applied a
         CROSS JOIN LATERAL (
               SELECT l.lot_id, l.expires_at, l.remaining FROM point_lots l
                WHERE l.member_id = a.member_id AND l.remaining > 0
                ORDER BY l.expires_at, l.lot_id LIMIT 1) first_lot
         WHERE a.kind = 'REDEEM'
        UNION ALL
        SELECT s.transfer_id, s.member_id, s.wanted, next_lot.lot_id, next_lot.expires_at, next_lot.remaining,
               s.before + s.remaining
          FROM spendable s
         CROSS JOIN LATERAL (
               SELECT l.lot_id, l.expires_at, l.remaining FROM point_lots l
                WHERE l.member_id = s.member_id AND l.remaining > 0
                  AND (l.expires_at, l.lot_id) > (s.expires_at, s.lot_id)
                ORDER BY l.expires_at, l.lot_id LIMIT 1) next_lot
         WHERE s.before + s.remaining < s.wanted
    ), taken AS MATERIALIZED (
        SELECT s.transfer_id, s.lot_id, LEAST(s.remaining, s.wanted - s.before) AS points
          FROM spendable s
    ), lots_spent AS (
        UPDATE point_lots l SET remaining = l.remaining - t.points FROM taken t WHERE l.lot_id = t.lot_id
    ), debits AS (
        INSERT INTO lot_movements (transfer_id, lot_id, points)
        SELECT t.transfer_id, t.lot_id, -t.points FROM taken t
    ), holds_placed AS (
        INSERT INTO holds (hold_id, member_id, partner_id, points, status, order_id, channel, expires_at, created_at)
        SELECT a.transfer_id, a.member_id, a.partner_id, a.points, 'PENDING', a.request ->> 'orderId',
               a.request ->> 'channel', (a.request ->> 'holdExpiresAt')::timestamptz, p_now
          FROM applied a
         WHERE a.kind = 'HOLD'
    ), accounts_updated AS (
        -- The values decided under the lock, which is still held.
        UPDATE member_accounts m SET posted = a.posted, held = a.held, version = a.version, updated_at = now()
          FROM applied a
         WHERE m.member_id = a.member_id
    ), events AS (
        -- The payload ledger_publish writes (docs/events.md), from the values in hand.
        INSERT INTO outbox (event_id, member_id, event_type, payload)
        SELECT gen_random_uuid(), a.member_id, 'TRANSFER_RECORDED', jsonb_build_object(
                   'schemaVersion', 1,
                   'transferId', a.transfer_id, 'memberId', a.member_id, 'kind', a.kind, 'points', a.points,
                   'postedDelta', a.posted_delta, 'heldDelta', a.held_delta, 'partnerId', a.partner_id,
                   'channel', a.channel, 'orderId', a.request ->> 'orderId', 'relatedTransferId', NULL::uuid,
                   'amount', CASE WHEN a.request ->> 'amount' IS NULL THEN NULL
                                  ELSE jsonb_build_object('value', (a.request ->> 'amount')::bigint,
                                                          'currency', a.request ->> 'currency') END,
                   'items', COALESCE(a.items, '[]'::jsonb),
                   'occurredAt', a.occurred_at, 'recordedAt', now(),
                   'account', jsonb_build_object('tier', a.tier, 'posted', a.posted, 'held', a.held,
                                                 'version', a.version))
          FROM applied a
         ORDER BY a.member_id
    ), answers AS (
        INSERT INTO idempotency_keys (partner_id, idempotency_key, request_fingerprint, response_status,
                                      response_body, expires_at)
        SELECT a.partner_id, a.idempotency_key, a.fingerprint, a.response_status, a.receipt,
               now() + p_key_retention_seconds * interval '1 second'
          FROM applied a
        ON CONFLICT (partner_id, idempotency_key) DO NOTHING
        RETURNING 1
    )
    SELECT count(*) INTO v_answered FROM answers;
    RETURN v_answered;
END;
$$;

-- Adds to a written round the points its members have expiring within the window (the same
-- summary as ledger_expiring, for all of them in one query), for the balance cache.
CREATE FUNCTION ledger_batch_expiring(p_round ledger_batch_write[], p_now timestamptz, p_window_days integer,
                                      p_time_zone text)
RETURNS ledger_batch_write[] LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_answered ledger_batch_write[];
BEGIN
    SELECT array_agg(jsonb_populate_record(w, jsonb_build_object('expiring',
               CASE WHEN w.outcome = 'APPLIED' THEN COALESCE(e.expiring, '[]'::jsonb) END)) ORDER BY w.item_index)
      INTO v_answered
      FROM unnest(p_round) w
      LEFT JOIN (
          SELECT by_day.member_id,
                 jsonb_agg(jsonb_build_object('date', by_day.day, 'points', by_day.points) ORDER BY by_day.day) AS expiring
            FROM (SELECT l.member_id, ((l.expires_at - interval '1 microsecond') AT TIME ZONE p_time_zone)::date AS day,
                         sum(l.remaining) AS points
                    FROM point_lots l
                   WHERE l.member_id IN (SELECT a.member_id FROM unnest(p_round) a WHERE a.outcome = 'APPLIED')
                     AND l.remaining > 0
                     AND l.expires_at <= p_now + make_interval(days => p_window_days)
                   GROUP BY 1, 2) by_day
           GROUP BY by_day.member_id) e ON e.member_id = w.member_id;
    RETURN v_answered;
END;
$$;

-- The rows ledger_post_batch answers for written rounds, shaped as ledger_post's.
CREATE FUNCTION ledger_batch_answers(p_done ledger_batch_write[])
RETURNS TABLE (item_index integer, outcome text, response_status integer, receipt jsonb, member_id uuid, tier text,
               posted bigint, held bigint, version bigint, expiring jsonb)
LANGUAGE sql IMMUTABLE AS $$
    SELECT w.item_index, w.outcome, w.response_status, w.receipt,
           CASE WHEN w.outcome <> 'MEMBER_NOT_FOUND' THEN w.member_id END,
           w.tier, w.posted, w.held, w.version, w.expiring
      FROM unnest(p_done) w
$$;

-- The group commit entry point, same contract as V7: one row per item, tagged with its index.
CREATE FUNCTION ledger_post_batch(p_items jsonb, p_key_retention_seconds bigint, p_now timestamptz,
                                             p_rules jsonb)
RETURNS TABLE (item_index integer, outcome text, response_status integer, receipt jsonb, member_id uuid, tier text,
               posted bigint, held bigint, version bigint, expiring jsonb)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
    v_writes     ledger_batch_write[];
    v_round      ledger_batch_write[];
    v_done       ledger_batch_write[] := '{}';
    v_rounds     integer;
    v_round_number integer := 1;
    v_set_based  boolean;
    v_window     integer := (p_rules ->> 'expiringWindowDays')::integer;
    v_zone       text := p_rules ->> 'timeZone';
BEGIN
    SELECT array_agg(ROW(numbered.item_index, numbered.round, numbered.body ->> 'partnerId',
                         numbered.body ->> 'idempotencyKey', decode(numbered.body ->> 'fingerprint', 'base64'),
                         numbered.body ->> 'kind', numbered.member_id, numbered.body -> 'request',
                         NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)::ledger_batch_write),
           max(numbered.round),
           bool_and(numbered.body ->> 'kind' IN ('EARN', 'REDEEM', 'HOLD'))
      INTO v_writes, v_rounds, v_set_based
      FROM (SELECT (e.value ->> 'index')::integer AS item_index, (e.value ->> 'memberId')::uuid AS member_id,
                   e.value AS body,
                   row_number() OVER (PARTITION BY (e.value ->> 'memberId')::uuid
                                      ORDER BY (e.value ->> 'index')::integer)::integer AS round
              FROM jsonb_array_elements(p_items) e) numbered;

    IF NOT v_set_based THEN
        RETURN QUERY SELECT * FROM ledger_post_items(p_items, p_key_retention_seconds, p_now, p_rules);
        RETURN;
    END IF;

    WHILE v_round_number <= v_rounds LOOP
        BEGIN
            v_round := ledger_batch_decide(
                ARRAY(SELECT w FROM unnest(v_writes) w WHERE w.round = v_round_number), p_rules);
            IF ledger_batch_apply(v_round, p_key_retention_seconds, p_now)
                    <> (SELECT count(*) FROM unnest(v_round) w WHERE w.outcome = 'APPLIED') THEN
                RAISE EXCEPTION 'an idempotency key of round % was stored meanwhile', v_round_number
                    USING ERRCODE = 'LDG01';
            END IF;
            v_done := v_done || ledger_batch_expiring(v_round, p_now, v_window, v_zone);
        EXCEPTION WHEN OTHERS THEN
            -- The round left no trace (its sub-transaction is rolled back, its locks with it).
            -- Apply it and the rounds after it write by write, as ledger_post would alone.
            IF SQLSTATE <> 'LDG01' THEN
                RAISE WARNING 'ledger_post_batch round % applied write by write after: % %',
                    v_round_number, SQLSTATE, SQLERRM;
            END IF;
            RETURN QUERY SELECT * FROM ledger_batch_answers(v_done);
            RETURN QUERY SELECT * FROM ledger_post_items(
                (SELECT jsonb_agg(e.value) FROM jsonb_array_elements(p_items) e
                  WHERE (e.value ->> 'index')::integer IN
                        (SELECT w.item_index FROM unnest(v_writes) w WHERE w.round >= v_round_number)),
                p_key_retention_seconds, p_now, p_rules);
            RETURN;
        END;
        v_round_number := v_round_number + 1;
    END LOOP;
    RETURN QUERY SELECT * FROM ledger_batch_answers(v_done);
END;
$$;
