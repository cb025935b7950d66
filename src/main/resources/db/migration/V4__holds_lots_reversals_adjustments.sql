-- Checkout holds, FIFO point lots with expiry, reversals and adjustments, all through one write
-- function. Replaces V2's ledger_post.

-- What each kind of transfer does to the account. CAPTURE releases its whole hold (held_delta)
-- and posts only what was captured (posted_delta). A REVERSAL's points are the part of the
-- original it reverses; its posted effect can be smaller when the reversal policy clamps at zero.
ALTER TABLE transfers DROP CONSTRAINT transfers_effect_matches_kind;
ALTER TABLE transfers ADD CONSTRAINT transfers_effect_matches_kind CHECK (
    (kind = 'EARN'         AND posted_delta = points  AND held_delta = 0) OR
    (kind = 'REDEEM'       AND posted_delta = -points AND held_delta = 0) OR
    (kind = 'HOLD'         AND posted_delta = 0       AND held_delta = points) OR
    (kind = 'CAPTURE'      AND posted_delta = -points AND held_delta <= -points) OR
    (kind IN ('VOID', 'HOLD_EXPIRED') AND posted_delta = 0 AND held_delta = -points) OR
    (kind = 'REVERSAL'     AND held_delta = 0 AND abs(posted_delta) <= points) OR
    (kind = 'ADJUSTMENT'   AND held_delta = 0 AND abs(posted_delta) = points) OR
    (kind = 'EXPIRY'       AND posted_delta = -points AND held_delta = 0)
);
ALTER TABLE transfers ADD COLUMN reason text CHECK (length(reason) <= 200);
CREATE INDEX transfers_reversals ON transfers (related_transfer_id) WHERE related_transfer_id IS NOT NULL;

-- A hold's state; derived from its HOLD transfer and the one transfer that resolved it.
CREATE TABLE holds (
    hold_id                 uuid        PRIMARY KEY REFERENCES transfers (transfer_id),
    member_id               uuid        NOT NULL REFERENCES member_accounts (member_id),
    partner_id              text        NOT NULL,
    points                  bigint      NOT NULL CHECK (points > 0),
    status                  text        NOT NULL CHECK (status IN ('PENDING', 'CAPTURED', 'VOIDED', 'EXPIRED')),
    captured_points         bigint      NOT NULL DEFAULT 0 CHECK (captured_points >= 0 AND captured_points <= points),
    order_id                text,
    channel                 text        NOT NULL,
    expires_at              timestamptz NOT NULL,
    created_at              timestamptz NOT NULL DEFAULT now(),
    resolved_at             timestamptz,
    resolved_by_transfer_id uuid        REFERENCES transfers (transfer_id)
);
CREATE INDEX holds_pending_expiry ON holds (expires_at) WHERE status = 'PENDING';

-- Points by expiry date. remaining is derived state (the sum of the lot's movements); the sum of
-- a member's remainders is their posted balance, or zero while they owe points.
CREATE TABLE point_lots (
    lot_id             bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    member_id          uuid        NOT NULL REFERENCES member_accounts (member_id),
    source_transfer_id uuid        NOT NULL REFERENCES transfers (transfer_id),
    expires_at         timestamptz NOT NULL,
    remaining          bigint      NOT NULL CHECK (remaining >= 0)
);
CREATE INDEX point_lots_member_fifo ON point_lots (member_id, expires_at, lot_id) WHERE remaining > 0;
CREATE INDEX point_lots_due ON point_lots (expires_at) WHERE remaining > 0;

-- Every change of a lot, by the transfer that made it: append-only like the ledger. A refund
-- finds here which lots its redemption spent, to give the points back with their dates.
CREATE TABLE lot_movements (
    transfer_id uuid   NOT NULL REFERENCES transfers (transfer_id),
    lot_id      bigint NOT NULL REFERENCES point_lots (lot_id),
    points      bigint NOT NULL CHECK (points <> 0),
    PRIMARY KEY (transfer_id, lot_id)
);
CREATE INDEX lot_movements_lot ON lot_movements (lot_id);

CREATE TRIGGER lot_movements_append_only_rows
    BEFORE UPDATE OR DELETE ON lot_movements
    FOR EACH ROW EXECUTE FUNCTION transfers_refuse_change();

-- Points of a member expiring within the window, by the last day they are valid (program zone).
CREATE FUNCTION ledger_expiring(p_member_id uuid, p_now timestamptz, p_window_days integer, p_time_zone text)
RETURNS jsonb LANGUAGE sql STABLE AS $$
    SELECT COALESCE(jsonb_agg(jsonb_build_object('date', day, 'points', points) ORDER BY day), '[]'::jsonb)
      FROM (SELECT ((l.expires_at - interval '1 microsecond') AT TIME ZONE p_time_zone)::date AS day,
                   sum(l.remaining) AS points
              FROM point_lots l
             WHERE l.member_id = p_member_id AND l.remaining > 0
               AND l.expires_at <= p_now + make_interval(days => p_window_days)
             GROUP BY 1) expiring
$$;

-- Spends up to p_amount of the member's lots, soonest expiry first (lots of p_preferred_source
-- first, for an earn's reversal), only lots due by p_due_by when given. Returns what it took.
CREATE FUNCTION ledger_consume_lots(p_member_id uuid, p_transfer_id uuid, p_amount bigint,
                                    p_preferred_source uuid, p_due_by timestamptz)
RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    v_left bigint := p_amount;
    v_lot  record;
    v_take bigint;
BEGIN
    IF v_left <= 0 THEN
        RETURN 0;
    END IF;
    FOR v_lot IN
        SELECT l.lot_id, l.remaining FROM point_lots l
         WHERE l.member_id = p_member_id AND l.remaining > 0 AND (p_due_by IS NULL OR l.expires_at <= p_due_by)
         ORDER BY (l.source_transfer_id IS NOT DISTINCT FROM p_preferred_source) DESC, l.expires_at, l.lot_id
    LOOP
        v_take := LEAST(v_left, v_lot.remaining);
        UPDATE point_lots SET remaining = remaining - v_take WHERE lot_id = v_lot.lot_id;
        INSERT INTO lot_movements (transfer_id, lot_id, points) VALUES (p_transfer_id, v_lot.lot_id, -v_take);
        v_left := v_left - v_take;
        EXIT WHEN v_left = 0;
    END LOOP;
    RETURN p_amount - v_left;
END;
$$;

-- Credits p_amount to lots: first repays what the member owes (posted below zero), then gives
-- points back to the lots p_original spent (latest expiry first, keeping their dates), and puts
-- anything left in a new lot expiring at p_new_lot_expires_at.
CREATE FUNCTION ledger_credit_lots(p_member_id uuid, p_transfer_id uuid, p_amount bigint, p_posted_before bigint,
                                   p_original uuid, p_new_lot_expires_at timestamptz)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    v_left bigint := p_amount - LEAST(p_amount, GREATEST(-p_posted_before, 0));
    v_lot  record;
    v_take bigint;
    v_new  bigint;
BEGIN
    IF v_left > 0 AND p_original IS NOT NULL THEN
        FOR v_lot IN
            SELECT m.lot_id, -sum(m.points) AS restorable
              FROM lot_movements m
              JOIN transfers t ON t.transfer_id = m.transfer_id
              JOIN point_lots l ON l.lot_id = m.lot_id
             WHERE m.transfer_id = p_original
                OR (t.kind = 'REVERSAL' AND t.related_transfer_id = p_original)
             GROUP BY m.lot_id, l.expires_at
            HAVING -sum(m.points) > 0
             ORDER BY l.expires_at DESC, m.lot_id DESC
        LOOP
            v_take := LEAST(v_left, v_lot.restorable);
            UPDATE point_lots SET remaining = remaining + v_take WHERE lot_id = v_lot.lot_id;
            INSERT INTO lot_movements (transfer_id, lot_id, points) VALUES (p_transfer_id, v_lot.lot_id, v_take);
            v_left := v_left - v_take;
            EXIT WHEN v_left = 0;
        END LOOP;
    END IF;
    IF v_left > 0 THEN
        INSERT INTO point_lots (member_id, source_transfer_id, expires_at, remaining)
        VALUES (p_member_id, p_transfer_id, p_new_lot_expires_at, v_left)
        RETURNING lot_id INTO v_new;
        INSERT INTO lot_movements (transfer_id, lot_id, points) VALUES (p_transfer_id, v_new, v_left);
    END IF;
END;
$$;

-- The outbox event of a transfer, with the account as it stands after it (versioned JSON,
-- documented in docs/events.md).
CREATE FUNCTION ledger_publish(p_transfer_id uuid, p_account member_accounts)
RETURNS void LANGUAGE sql AS $$
    INSERT INTO outbox (event_id, member_id, event_type, payload)
    SELECT gen_random_uuid(), t.member_id, 'TRANSFER_RECORDED', jsonb_build_object(
               'schemaVersion', 1,
               'transferId', t.transfer_id, 'memberId', t.member_id, 'kind', t.kind, 'points', t.points,
               'postedDelta', t.posted_delta, 'heldDelta', t.held_delta, 'partnerId', t.partner_id,
               'channel', t.channel, 'orderId', t.order_id, 'relatedTransferId', t.related_transfer_id,
               'amount', CASE WHEN t.amount_minor_units IS NULL THEN NULL
                              ELSE jsonb_build_object('value', t.amount_minor_units, 'currency', t.currency) END,
               'items', COALESCE(t.metadata -> 'items', '[]'::jsonb),
               'occurredAt', t.occurred_at, 'recordedAt', t.recorded_at,
               'account', jsonb_build_object('tier', p_account.tier, 'posted', p_account.posted,
                                             'held', p_account.held, 'version', p_account.version))
      FROM transfers t WHERE t.transfer_id = p_transfer_id
$$;

DROP FUNCTION ledger_post(text, text, bytea, bigint, text, uuid, bigint, bigint, text, text, text, timestamptz, jsonb, jsonb);

-- The one write path of the ledger, in one round trip: find the account (the member named, or
-- the owner of the hold or transfer acted on), lock it, look up the idempotency key, decide,
-- append the transfer, move lots and holds, update the account, store the answer, append the
-- outbox event. The account row lock serialises every write to a member (a retry racing its
-- original, a capture racing a void or the expiry job); nothing global is locked.
--
-- outcome: APPLIED or REPLAYED (response_status and receipt are the answer), or a refusal code
-- (receipt holds its details) after which nothing was written. tier..expiring: the account after
-- the call, for the balance cache (expiring only when APPLIED).
CREATE FUNCTION ledger_post(
    p_partner_id             text,
    p_sees_all_partners      boolean,
    p_idempotency_key        text,
    p_fingerprint            bytea,
    p_key_retention_seconds  bigint,
    p_kind                   text,
    p_member_id              uuid,
    p_target_id              uuid,
    p_now                    timestamptz,
    p_request                jsonb,
    p_rules                  jsonb
) RETURNS TABLE (outcome text, response_status integer, receipt jsonb, member_id uuid, tier text,
                 posted bigint, held bigint, version bigint, expiring jsonb)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
    v_member_id   uuid := p_member_id;
    v_owner       text;
    v_account     member_accounts%ROWTYPE;
    v_answer      idempotency_keys%ROWTYPE;
    v_hold        holds%ROWTYPE;
    v_original    transfers%ROWTYPE;
    v_transfer_id uuid := gen_random_uuid();
    v_points      bigint;
    v_posted      bigint := 0;
    v_held        bigint := 0;
    v_available   bigint;
    v_reversed    bigint;
    v_status      integer := 201;
    v_receipt     jsonb;
    v_refusal     text;
    v_details     jsonb;
    v_window      integer := (p_rules ->> 'expiringWindowDays')::integer;
    v_zone        text := p_rules ->> 'timeZone';
BEGIN
    IF p_kind IN ('CAPTURE', 'VOID') THEN
        SELECT h.member_id, h.partner_id INTO v_member_id, v_owner FROM holds h WHERE h.hold_id = p_target_id;
        IF v_member_id IS NULL OR (NOT p_sees_all_partners AND v_owner <> p_partner_id) THEN
            RETURN QUERY SELECT 'HOLD_NOT_FOUND', NULL::integer, NULL::jsonb, NULL::uuid, NULL::text,
                                NULL::bigint, NULL::bigint, NULL::bigint, NULL::jsonb;
            RETURN;
        END IF;
    ELSIF p_kind = 'REVERSAL' THEN
        SELECT t.member_id, t.partner_id INTO v_member_id, v_owner FROM transfers t WHERE t.transfer_id = p_target_id;
        IF v_member_id IS NULL OR (NOT p_sees_all_partners AND v_owner <> p_partner_id) THEN
            RETURN QUERY SELECT 'TRANSFER_NOT_FOUND', NULL::integer, NULL::jsonb, NULL::uuid, NULL::text,
                                NULL::bigint, NULL::bigint, NULL::bigint, NULL::jsonb;
            RETURN;
        END IF;
    END IF;

    SELECT * INTO v_account FROM member_accounts a WHERE a.member_id = v_member_id FOR UPDATE;
    IF NOT FOUND THEN
        RETURN QUERY SELECT 'MEMBER_NOT_FOUND', NULL::integer, NULL::jsonb, NULL::uuid, NULL::text,
                            NULL::bigint, NULL::bigint, NULL::bigint, NULL::jsonb;
        RETURN;
    END IF;

    SELECT * INTO v_answer FROM idempotency_keys k
     WHERE k.partner_id = p_partner_id AND k.idempotency_key = p_idempotency_key;
    IF FOUND THEN
        RETURN QUERY SELECT CASE WHEN v_answer.request_fingerprint = p_fingerprint
                                 THEN 'REPLAYED' ELSE 'IDEMPOTENCY_KEY_REUSED' END,
                            v_answer.response_status, v_answer.response_body, v_member_id, v_account.tier,
                            v_account.posted, v_account.held, v_account.version, NULL::jsonb;
        RETURN;
    END IF;

    v_available := v_account.posted - v_account.held;

    CASE p_kind
    WHEN 'EARN' THEN
        -- Integer arithmetic only: floor(amount x multiplier / (minor units per point x 10 000)).
        v_points := COALESCE((p_request ->> 'points')::bigint,
            (p_request ->> 'amount')::bigint * ((p_rules -> 'multiplierBasisPoints' ->> v_account.tier)::bigint)
                / ((p_rules ->> 'minorUnitsPerPoint')::bigint * 10000));
        IF v_points <= 0 THEN
            v_refusal := 'NO_POINTS_EARNED';
            v_details := jsonb_build_object('amount', p_request -> 'amount');
        END IF;
        v_posted := v_points;
    WHEN 'REDEEM', 'HOLD' THEN
        v_points := (p_request ->> 'points')::bigint;
        IF v_available < v_points THEN
            v_refusal := 'INSUFFICIENT_POINTS';
            v_details := jsonb_build_object('available', v_available, 'requested', v_points);
        END IF;
        IF p_kind = 'REDEEM' THEN v_posted := -v_points; ELSE v_held := v_points; END IF;
    WHEN 'CAPTURE', 'VOID' THEN
        SELECT * INTO v_hold FROM holds h WHERE h.hold_id = p_target_id;
        v_status := 200;
        IF v_hold.status <> 'PENDING' OR v_hold.expires_at <= p_now THEN
            v_refusal := 'HOLD_NOT_PENDING';
            v_details := jsonb_build_object('status', CASE WHEN v_hold.status = 'PENDING' THEN 'EXPIRED' ELSE v_hold.status END,
                                            'expiresAt', v_hold.expires_at);
        ELSIF p_kind = 'CAPTURE' THEN
            v_points := COALESCE((p_request ->> 'points')::bigint, v_hold.points);
            IF v_points > v_hold.points THEN
                v_refusal := 'CAPTURE_EXCEEDS_HOLD';
                v_details := jsonb_build_object('held', v_hold.points, 'requested', v_points);
            END IF;
            -- A partial capture posts what it captures and releases the whole hold.
            v_posted := -v_points;
            v_held := -v_hold.points;
        ELSE
            v_points := v_hold.points;
            v_held := -v_hold.points;
        END IF;
    WHEN 'REVERSAL' THEN
        SELECT * INTO v_original FROM transfers t WHERE t.transfer_id = p_target_id;
        IF v_original.kind NOT IN ('EARN', 'REDEEM', 'CAPTURE') THEN
            v_refusal := 'TRANSFER_NOT_REVERSIBLE';
            v_details := jsonb_build_object('kind', v_original.kind);
        ELSE
            SELECT COALESCE(sum(t.points), 0) INTO v_reversed
              FROM transfers t WHERE t.related_transfer_id = p_target_id AND t.kind = 'REVERSAL';
            v_points := COALESCE((p_request ->> 'points')::bigint, v_original.points - v_reversed);
            IF v_points <= 0 OR v_reversed + v_points > v_original.points THEN
                v_refusal := 'REVERSAL_EXCEEDS_ORIGINAL';
                v_details := jsonb_build_object('original', v_original.points, 'alreadyReversed', v_reversed,
                                                'requested', v_points);
            ELSIF v_original.kind = 'EARN' THEN
                -- Goods returned: the points go back. Spent already? The policy decides whether the
                -- balance goes negative (a debt later earns repay) or stops at zero.
                v_posted := CASE WHEN p_rules ->> 'reversalPolicy' = 'CLAMP_TO_ZERO'
                                 THEN -LEAST(v_points, GREATEST(v_available, 0))
                                 ELSE -v_points END;
            ELSE
                v_posted := v_points;
            END IF;
        END IF;
    WHEN 'ADJUSTMENT' THEN
        v_posted := (p_request ->> 'points')::bigint;
        v_points := abs(v_posted);
        IF v_posted < 0 AND NOT COALESCE((p_request ->> 'allowNegative')::boolean, false) AND v_available < v_points THEN
            v_refusal := 'INSUFFICIENT_POINTS';
            v_details := jsonb_build_object('available', v_available, 'requested', v_points);
        END IF;
    ELSE
        RAISE EXCEPTION 'ledger_post does not handle kind %', p_kind USING ERRCODE = 'LDG02';
    END CASE;

    IF v_refusal IS NOT NULL THEN
        RETURN QUERY SELECT v_refusal, NULL::integer, v_details, v_member_id, v_account.tier,
                            v_account.posted, v_account.held, v_account.version, NULL::jsonb;
        RETURN;
    END IF;

    INSERT INTO transfers (transfer_id, kind, member_id, points, posted_delta, held_delta, partner_id, channel,
                           order_id, idempotency_key, related_transfer_id, amount_minor_units, currency,
                           occurred_at, reason, metadata)
    VALUES (v_transfer_id, p_kind, v_member_id, v_points, v_posted, v_held, p_partner_id,
            COALESCE(p_request ->> 'channel', v_hold.channel, v_original.channel, 'OPERATOR'),
            COALESCE(p_request ->> 'orderId', v_hold.order_id, v_original.order_id),
            p_idempotency_key, COALESCE(v_hold.hold_id, v_original.transfer_id),
            (p_request ->> 'amount')::bigint, p_request ->> 'currency',
            COALESCE((p_request ->> 'occurredAt')::timestamptz, p_now), p_request ->> 'reason',
            CASE WHEN p_kind = 'EARN' THEN jsonb_build_object('items', COALESCE(p_request -> 'items', '[]'::jsonb))
                 ELSE '{}'::jsonb END);

    CASE p_kind
    WHEN 'EARN' THEN
        PERFORM ledger_credit_lots(v_member_id, v_transfer_id, v_points, v_account.posted, NULL,
                                   (p_request ->> 'lotExpiresAt')::timestamptz);
    WHEN 'REDEEM' THEN
        PERFORM ledger_consume_lots(v_member_id, v_transfer_id, v_points, NULL, NULL);
    WHEN 'HOLD' THEN
        INSERT INTO holds (hold_id, member_id, partner_id, points, status, order_id, channel, expires_at, created_at)
        VALUES (v_transfer_id, v_member_id, p_partner_id, v_points, 'PENDING', p_request ->> 'orderId',
                p_request ->> 'channel', (p_request ->> 'holdExpiresAt')::timestamptz, p_now);
    WHEN 'CAPTURE', 'VOID' THEN
        IF p_kind = 'CAPTURE' THEN
            PERFORM ledger_consume_lots(v_member_id, v_transfer_id, v_points, NULL, NULL);
        END IF;
        UPDATE holds h
           SET status = CASE WHEN p_kind = 'CAPTURE' THEN 'CAPTURED' ELSE 'VOIDED' END,
               captured_points = CASE WHEN p_kind = 'CAPTURE' THEN v_points ELSE 0 END,
               resolved_at = p_now, resolved_by_transfer_id = v_transfer_id
         WHERE h.hold_id = p_target_id;
    ELSE
        IF v_posted < 0 THEN
            PERFORM ledger_consume_lots(v_member_id, v_transfer_id, -v_posted, v_original.transfer_id, NULL);
        ELSIF v_posted > 0 THEN
            PERFORM ledger_credit_lots(v_member_id, v_transfer_id, v_posted, v_account.posted,
                                       v_original.transfer_id, (p_request ->> 'lotExpiresAt')::timestamptz);
        END IF;
    END CASE;

    IF p_kind = 'ADJUSTMENT' THEN
        -- An operator's correction is audited in the same transaction as the correction itself.
        INSERT INTO audit_log (actor, action, target, details)
        VALUES (p_partner_id, 'POINTS_ADJUSTED', v_member_id::text, jsonb_build_object(
                    'transferId', v_transfer_id, 'points', v_posted, 'reason', p_request ->> 'reason'));
    END IF;

    UPDATE member_accounts a
       SET posted = a.posted + v_posted, held = a.held + v_held, version = a.version + 1, updated_at = now()
     WHERE a.member_id = v_member_id
    RETURNING * INTO v_account;

    IF p_kind IN ('HOLD', 'CAPTURE', 'VOID') THEN
        SELECT jsonb_build_object(
                   'holdId', h.hold_id, 'memberId', h.member_id, 'status', h.status, 'points', h.points,
                   'capturedPoints', h.captured_points, 'expiresAt', h.expires_at, 'orderId', h.order_id,
                   'transactionId', v_transfer_id, 'available', v_account.posted - v_account.held,
                   'posted', v_account.posted, 'held', v_account.held)
          INTO v_receipt FROM holds h WHERE h.hold_id = COALESCE(p_target_id, v_transfer_id);
    ELSE
        v_receipt := jsonb_build_object(
            'transactionId', v_transfer_id, 'memberId', v_member_id, 'kind', p_kind, 'points', v_points,
            'postedDelta', v_posted, 'relatedTransactionId', v_original.transfer_id,
            'available', v_account.posted - v_account.held, 'posted', v_account.posted, 'held', v_account.held);
    END IF;

    INSERT INTO idempotency_keys (partner_id, idempotency_key, request_fingerprint, response_status, response_body, expires_at)
    VALUES (p_partner_id, p_idempotency_key, p_fingerprint, v_status, v_receipt,
            now() + p_key_retention_seconds * interval '1 second')
    ON CONFLICT (partner_id, idempotency_key) DO NOTHING;
    IF NOT FOUND THEN
        -- The same key was committed meanwhile for another member: a different request by definition.
        RAISE EXCEPTION 'idempotency key reused concurrently' USING ERRCODE = 'LDG01';
    END IF;

    PERFORM ledger_publish(v_transfer_id, v_account);

    RETURN QUERY SELECT 'APPLIED', v_status, v_receipt, v_member_id, v_account.tier, v_account.posted,
                        v_account.held, v_account.version, ledger_expiring(v_member_id, p_now, v_window, v_zone);
END;
$$;

-- Releases pending holds past their expiry, at most p_batch of them, each as a HOLD_EXPIRED
-- transfer. Accounts are locked in member order, so concurrent runs cannot deadlock; a hold
-- captured or voided meanwhile is skipped. Answers the accounts it changed, for the cache.
CREATE FUNCTION ledger_expire_holds(p_now timestamptz, p_batch integer, p_window_days integer, p_time_zone text)
RETURNS TABLE (member_id uuid, tier text, posted bigint, held bigint, version bigint, expiring jsonb)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
    v_due         record;
    v_hold        holds%ROWTYPE;
    v_account     member_accounts%ROWTYPE;
    v_transfer_id uuid;
BEGIN
    FOR v_due IN
        SELECT h.hold_id, h.member_id FROM holds h
         WHERE h.status = 'PENDING' AND h.expires_at <= p_now
         ORDER BY h.expires_at LIMIT p_batch
    LOOP
        PERFORM 1 FROM member_accounts a WHERE a.member_id = v_due.member_id FOR UPDATE;
        SELECT * INTO v_hold FROM holds h WHERE h.hold_id = v_due.hold_id AND h.status = 'PENDING';
        CONTINUE WHEN NOT FOUND;
        v_transfer_id := gen_random_uuid();
        INSERT INTO transfers (transfer_id, kind, member_id, points, posted_delta, held_delta, partner_id, channel,
                               order_id, related_transfer_id, occurred_at)
        VALUES (v_transfer_id, 'HOLD_EXPIRED', v_hold.member_id, v_hold.points, 0, -v_hold.points,
                v_hold.partner_id, v_hold.channel, v_hold.order_id, v_hold.hold_id, p_now);
        UPDATE holds h SET status = 'EXPIRED', resolved_at = p_now, resolved_by_transfer_id = v_transfer_id
         WHERE h.hold_id = v_hold.hold_id;
        UPDATE member_accounts a SET held = a.held - v_hold.points, version = a.version + 1, updated_at = now()
         WHERE a.member_id = v_hold.member_id
        RETURNING * INTO v_account;
        PERFORM ledger_publish(v_transfer_id, v_account);
        RETURN QUERY SELECT v_account.member_id, v_account.tier, v_account.posted, v_account.held, v_account.version,
                            ledger_expiring(v_account.member_id, p_now, p_window_days, p_time_zone);
    END LOOP;
END;
$$;

-- Writes EXPIRY transfers for exactly what is left of points past their date, soonest first,
-- for at most p_batch due lots' members. Points reserved by a pending hold are left until the
-- hold resolves (expiry never takes available below zero); the next run takes them then.
CREATE FUNCTION ledger_expire_points(p_now timestamptz, p_batch integer, p_window_days integer, p_time_zone text)
RETURNS TABLE (member_id uuid, tier text, posted bigint, held bigint, version bigint, expiring jsonb)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
    v_member_id   uuid;
    v_account     member_accounts%ROWTYPE;
    v_due         bigint;
    v_amount      bigint;
    v_transfer_id uuid;
BEGIN
    FOR v_member_id IN
        SELECT DISTINCT due.member_id FROM (
            SELECT l.member_id FROM point_lots l
             WHERE l.remaining > 0 AND l.expires_at <= p_now
             ORDER BY l.expires_at LIMIT p_batch) due
         ORDER BY 1
    LOOP
        SELECT * INTO v_account FROM member_accounts a WHERE a.member_id = v_member_id FOR UPDATE;
        SELECT COALESCE(sum(l.remaining), 0) INTO v_due FROM point_lots l
         WHERE l.member_id = v_member_id AND l.remaining > 0 AND l.expires_at <= p_now;
        v_amount := LEAST(v_due, GREATEST(v_account.posted - v_account.held, 0));
        CONTINUE WHEN v_amount <= 0;
        v_transfer_id := gen_random_uuid();
        INSERT INTO transfers (transfer_id, kind, member_id, points, posted_delta, held_delta, partner_id, channel,
                               occurred_at)
        VALUES (v_transfer_id, 'EXPIRY', v_member_id, v_amount, -v_amount, 0, 'operator', 'OPERATOR', p_now);
        PERFORM ledger_consume_lots(v_member_id, v_transfer_id, v_amount, NULL, p_now);
        UPDATE member_accounts a SET posted = a.posted - v_amount, version = a.version + 1, updated_at = now()
         WHERE a.member_id = v_member_id
        RETURNING * INTO v_account;
        PERFORM ledger_publish(v_transfer_id, v_account);
        RETURN QUERY SELECT v_account.member_id, v_account.tier, v_account.posted, v_account.held, v_account.version,
                            ledger_expiring(v_account.member_id, p_now, p_window_days, p_time_zone);
    END LOOP;
END;
$$;

-- Existing balances predate lots: give each a lot so that lot remainders equal the balance.
INSERT INTO point_lots (member_id, source_transfer_id, expires_at, remaining)
SELECT a.member_id,
       (SELECT t.transfer_id FROM transfers t WHERE t.member_id = a.member_id ORDER BY t.sequence DESC LIMIT 1),
       now() + interval '12 months', a.posted
  FROM member_accounts a WHERE a.posted > 0;
