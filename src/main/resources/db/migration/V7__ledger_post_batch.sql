-- Group commit: many writes in one round trip and one commit. Each item goes through the same
-- ledger_post as a single request, in a sub-transaction of its own, so one item's refusal or
-- error never touches its neighbours. Items are applied in member order (accounts are always
-- locked in the same order, so concurrent batches cannot deadlock), and in arrival order within
-- a member.
--
-- p_items: [{"index", "partnerId", "seesAllPartners", "idempotencyKey", "fingerprint" (base64),
--            "kind", "memberId", "request"}]; answers one row per item, tagged with its index.
CREATE FUNCTION ledger_post_batch(p_items jsonb, p_key_retention_seconds bigint, p_now timestamptz, p_rules jsonb)
RETURNS TABLE (item_index integer, outcome text, response_status integer, receipt jsonb, member_id uuid, tier text,
               posted bigint, held bigint, version bigint, expiring jsonb)
LANGUAGE plpgsql AS $$
DECLARE
    v_item record;
BEGIN
    FOR v_item IN
        SELECT (e.value ->> 'index')::integer AS position, e.value AS body
          FROM jsonb_array_elements(p_items) e
         ORDER BY (e.value ->> 'memberId')::uuid, (e.value ->> 'index')::integer
    LOOP
        BEGIN
            RETURN QUERY
            SELECT v_item.position, r.*
              FROM ledger_post(v_item.body ->> 'partnerId', (v_item.body ->> 'seesAllPartners')::boolean,
                               v_item.body ->> 'idempotencyKey', decode(v_item.body ->> 'fingerprint', 'base64'),
                               p_key_retention_seconds, v_item.body ->> 'kind', (v_item.body ->> 'memberId')::uuid,
                               NULL, p_now, v_item.body -> 'request', p_rules) r;
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
