-- Captures, voids and reversals join the group commit. They name a hold or a transfer, not a
-- member, so V7's per-write loop (ledger_post_items, which V8's batch falls back to for any kind
-- but EARN, REDEEM and HOLD) now passes each write's target on to ledger_post, and finds the
-- member of a target before ordering: a hold's id is its HOLD transfer's id, so one look-up in
-- transfers serves all three kinds. Writes then apply in member order, and in arrival order
-- within a member whether they name the member or its hold or transfer, so accounts are still
-- locked in one order (no deadlock between batches) and a void followed by a redeem of the same
-- member sees the released points. A target that names nothing sorts last and is refused by
-- ledger_post (HOLD_NOT_FOUND, TRANSFER_NOT_FOUND) in its own sub-transaction, like any refusal.
--
-- p_items: as V7, plus "targetId" for CAPTURE, VOID and REVERSAL (whose "memberId" is null).
CREATE OR REPLACE FUNCTION ledger_post_items(p_items jsonb, p_key_retention_seconds bigint, p_now timestamptz,
                                             p_rules jsonb)
RETURNS TABLE (item_index integer, outcome text, response_status integer, receipt jsonb, member_id uuid, tier text,
               posted bigint, held bigint, version bigint, expiring jsonb)
LANGUAGE plpgsql AS $$
DECLARE
    v_item record;
BEGIN
    FOR v_item IN
        SELECT (e.value ->> 'index')::integer AS position, e.value AS body
          FROM jsonb_array_elements(p_items) e
          LEFT JOIN transfers target ON target.transfer_id = (e.value ->> 'targetId')::uuid
         ORDER BY COALESCE((e.value ->> 'memberId')::uuid, target.member_id), (e.value ->> 'index')::integer
    LOOP
        BEGIN
            RETURN QUERY
            SELECT v_item.position, r.*
              FROM ledger_post(v_item.body ->> 'partnerId', (v_item.body ->> 'seesAllPartners')::boolean,
                               v_item.body ->> 'idempotencyKey', decode(v_item.body ->> 'fingerprint', 'base64'),
                               p_key_retention_seconds, v_item.body ->> 'kind', (v_item.body ->> 'memberId')::uuid,
                               (v_item.body ->> 'targetId')::uuid, p_now, v_item.body -> 'request', p_rules) r;
        EXCEPTION
            WHEN SQLSTATE 'LDG01' THEN
                RETURN QUERY SELECT v_item.position, 'IDEMPOTENCY_KEY_REUSED', NULL::integer, NULL::jsonb, NULL::uuid,
                                    NULL::text, NULL::bigint, NULL::bigint, NULL::bigint, NULL::jsonb;
            WHEN OTHERS THEN
                -- A fault in one item (a bug, not a refusal) fails that item only; the log has the cause.
                RAISE WARNING 'ledger_post_batch item % failed: % %', v_item.position, SQLSTATE, SQLERRM;
                RETURN QUERY SELECT v_item.position, 'FAILED', NULL::integer,
                                    jsonb_build_object('sqlState', SQLSTATE, 'message', SQLERRM), NULL::uuid,
                                    NULL::text, NULL::bigint, NULL::bigint, NULL::bigint, NULL::jsonb;
        END;
    END LOOP;
END;
$$;
