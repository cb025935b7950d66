-- The one write path of the ledger, in one round trip: idempotency look-up, balance check, account
-- update, transfer, stored answer and outbox event, atomically. The member's account row lock
-- serialises every write to that member (including a retry racing its original); nothing global
-- is locked or updated.
--
-- outcome is APPLIED, REPLAYED, IDEMPOTENCY_KEY_REUSED, MEMBER_NOT_FOUND, INSUFFICIENT_POINTS or
-- NO_POINTS_EARNED. Only APPLIED writes anything. tier/posted/held/version are the account after
-- the call (for the balance cache); receipt is the answer to send (or the stored one on replay).
CREATE FUNCTION ledger_post(
    p_partner_id      text,
    p_idempotency_key text,
    p_fingerprint     bytea,
    p_key_retention_seconds bigint,
    p_kind            text,
    p_member_id       uuid,
    p_points          bigint,      -- REDEEM: points to spend; EARN: explicit award, or NULL to apply the rule
    p_amount          bigint,      -- EARN: purchase amount in minor units
    p_currency        text,
    p_channel         text,
    p_order_id        text,
    p_occurred_at     timestamptz,
    p_items           jsonb,
    p_earn_rule       jsonb        -- {"minorUnitsPerPoint": 100, "multiplierBasisPoints": {"BASIC": 10000, ...}}
) RETURNS TABLE (outcome text, receipt jsonb, tier text, posted bigint, held bigint, version bigint)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
    v_account     member_accounts%ROWTYPE;
    v_answer      idempotency_keys%ROWTYPE;
    v_points      bigint;
    v_delta       bigint;
    v_transfer_id uuid := gen_random_uuid();
    v_occurred_at timestamptz := COALESCE(p_occurred_at, now());
    v_receipt     jsonb;
BEGIN
    SELECT * INTO v_account FROM member_accounts a WHERE a.member_id = p_member_id FOR UPDATE;
    IF NOT FOUND THEN
        RETURN QUERY SELECT 'MEMBER_NOT_FOUND', NULL::jsonb, NULL::text, NULL::bigint, NULL::bigint, NULL::bigint;
        RETURN;
    END IF;

    SELECT * INTO v_answer FROM idempotency_keys k
     WHERE k.partner_id = p_partner_id AND k.idempotency_key = p_idempotency_key;
    IF FOUND THEN
        RETURN QUERY SELECT CASE WHEN v_answer.request_fingerprint = p_fingerprint
                                 THEN 'REPLAYED' ELSE 'IDEMPOTENCY_KEY_REUSED' END,
                            v_answer.response_body, v_account.tier, v_account.posted, v_account.held, v_account.version;
        RETURN;
    END IF;

    IF p_kind = 'EARN' THEN
        -- Integer arithmetic only: floor(amount x multiplier / (minor units per point x 10 000)).
        v_points := COALESCE(p_points,
            p_amount * ((p_earn_rule -> 'multiplierBasisPoints' ->> v_account.tier)::bigint)
                / ((p_earn_rule ->> 'minorUnitsPerPoint')::bigint * 10000));
        IF v_points <= 0 THEN
            RETURN QUERY SELECT 'NO_POINTS_EARNED', jsonb_build_object('amount', p_amount),
                                v_account.tier, v_account.posted, v_account.held, v_account.version;
            RETURN;
        END IF;
        v_delta := v_points;
    ELSIF p_kind = 'REDEEM' THEN
        v_points := p_points;
        IF v_account.posted - v_account.held < v_points THEN
            RETURN QUERY SELECT 'INSUFFICIENT_POINTS',
                                jsonb_build_object('available', v_account.posted - v_account.held, 'requested', v_points),
                                v_account.tier, v_account.posted, v_account.held, v_account.version;
            RETURN;
        END IF;
        v_delta := -v_points;
    ELSE
        RAISE EXCEPTION 'ledger_post does not handle kind %', p_kind USING ERRCODE = 'LDG02';
    END IF;

    UPDATE member_accounts a
       SET posted = a.posted + v_delta, version = a.version + 1, updated_at = now()
     WHERE a.member_id = p_member_id
    RETURNING * INTO v_account;

    INSERT INTO transfers (transfer_id, kind, member_id, points, posted_delta, held_delta, partner_id, channel,
                           order_id, idempotency_key, amount_minor_units, currency, occurred_at, metadata)
    VALUES (v_transfer_id, p_kind, p_member_id, v_points, v_delta, 0, p_partner_id, p_channel,
            p_order_id, p_idempotency_key, p_amount, p_currency, v_occurred_at,
            jsonb_build_object('items', COALESCE(p_items, '[]'::jsonb)));

    v_receipt := jsonb_build_object(
        'transactionId', v_transfer_id, 'memberId', p_member_id, 'kind', p_kind, 'points', v_points,
        'available', v_account.posted - v_account.held, 'posted', v_account.posted, 'held', v_account.held);

    INSERT INTO idempotency_keys (partner_id, idempotency_key, request_fingerprint, response_status, response_body, expires_at)
    VALUES (p_partner_id, p_idempotency_key, p_fingerprint, 201, v_receipt, now() + p_key_retention_seconds * interval '1 second')
    ON CONFLICT (partner_id, idempotency_key) DO NOTHING;
    IF NOT FOUND THEN
        -- The same key was committed meanwhile for another member: a different request by definition.
        RAISE EXCEPTION 'idempotency key reused concurrently' USING ERRCODE = 'LDG01';
    END IF;

    INSERT INTO outbox (event_id, member_id, event_type, payload)
    VALUES (gen_random_uuid(), p_member_id, 'TRANSFER_RECORDED', jsonb_build_object(
        'schemaVersion', 1,
        'transferId', v_transfer_id, 'memberId', p_member_id, 'kind', p_kind, 'points', v_points,
        'postedDelta', v_delta, 'heldDelta', 0, 'partnerId', p_partner_id, 'channel', p_channel,
        'orderId', p_order_id, 'amount', CASE WHEN p_amount IS NULL THEN NULL
                                              ELSE jsonb_build_object('value', p_amount, 'currency', p_currency) END,
        'items', COALESCE(p_items, '[]'::jsonb), 'occurredAt', v_occurred_at, 'recordedAt', now(),
        'account', jsonb_build_object('tier', v_account.tier, 'posted', v_account.posted,
                                      'held', v_account.held, 'version', v_account.version)));

    RETURN QUERY SELECT 'APPLIED', v_receipt, v_account.tier, v_account.posted, v_account.held, v_account.version;
END;
$$;
