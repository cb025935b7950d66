#!/usr/bin/env bash
# -------------------------------------------------------------------------------------------------
# load-tests/pgbench/writer-script.sh SOURCE_DIR WRITES MEMBER_COUNT LOT_EXPIRY
#
# Prints a pgbench script that runs what the service's LedgerWriter sends PostgreSQL for a batch
# of WRITES earns (of 10 points each, for distinct random members of table bench_member_ids):
# BEGIN; lock the accounts in member order; read the stored answers of the batch's keys and the
# members' lots within the expiring window; apply the decided batch with the service's own apply
# statement; COMMIT. The decisions themselves (Java) are replaced by their result, computed in
# SQL from the locked rows. The apply statement is read from SOURCE_DIR's
# LedgerWriteRepository.java, so the script measures the SQL of the commit being benchmarked.
#
# pgbench passes every :variable as a text parameter, which the statement's own casts
# (`$1::uuid[]` and so on) turn into typed arrays: the same types the service binds.
# -------------------------------------------------------------------------------------------------
set -euo pipefail

source_dir="$1" writes="$2" member_count="$3" lot_expiry="$4"
repository="$source_dir/src/main/java/io/pointsledger/ledger/LedgerWriteRepository.java"
[[ -f "$repository" ]] || { echo "writer-script.sh: no $repository (a commit before the writer)" >&2; exit 3; }

# A text block of the repository (its lines up to the closing quotes), on one line, without its
# SQL comments (on one line, a comment would swallow the rest of the statement).
statement() {
    awk -v name="$1" '$0 ~ "private static final String " name " = \"\"\"" { inside = 1; next }
                      inside && /""";/ { sub(/""";.*/, ""); print; inside = 0; next }
                      inside { print }' "$repository" | sed -E 's/[[:space:]]*--.*$//' | tr '\n' ' ' | tr -s ' '
}

# APPLY, with $1..$62 renamed :p1..:p62 for pgbench.
apply="$(statement APPLY | sed -E 's/\$([0-9]+)/:p\1/g')"
# LOTS as an earn batch sends it: every member's lots within the window, no debits.
lots="$(statement LOTS | sed -E 's/\$1([^0-9])/:p3\1/g; s/\$2([^0-9])/(now() + interval '"'"'90 days'"'"')\1/g; s/\$(3|4|5)([^0-9])/'"'"'{}'"'"'\2/g')"
[[ "$apply" == *":p62"* ]] || { echo "writer-script.sh: the apply statement of $repository has changed shape" >&2; exit 1; }

items='{"items": [{"sku": "SKU-1", "category": null, "quantity": 1, "unitPrice": 500}, {"sku": "SKU-1", "category": null, "quantity": 1, "unitPrice": 500}]}'

cat <<SQL
BEGIN;
SELECT array_agg(DISTINCT b.member_id)::text AS members FROM (SELECT 1 + floor(random() * $member_count)::integer AS idx FROM generate_series(1, $writes)) pick JOIN bench_member_ids b ON b.idx = pick.idx \gset
SELECT member_id, tier, posted, held, version FROM member_accounts WHERE member_id = ANY(:members::uuid[]) ORDER BY member_id FOR UPDATE;
SELECT array_agg(a.member_id ORDER BY a.member_id)::text AS p3, array_agg(gen_random_uuid())::text AS p1, array_agg('pgbench-' || gen_random_uuid())::text AS p10, array_agg(a.posted + 10 ORDER BY a.member_id)::text AS p43, array_agg(a.held ORDER BY a.member_id)::text AS p44, array_agg(a.version + 1 ORDER BY a.member_id)::text AS p45, count(*) AS n FROM member_accounts a WHERE a.member_id = ANY(:members::uuid[]) \gset
SELECT k.partner_id, k.idempotency_key, k.request_fingerprint, k.response_status, k.response_body::text AS body FROM unnest(array_fill('operator'::text, ARRAY[:n::integer]), :p10::text[], :p3::uuid[]) AS asked (partner_id, idempotency_key, member_id) JOIN idempotency_keys k USING (partner_id, idempotency_key, member_id);
$lots;
SELECT array_fill('EARN'::text, ARRAY[:n::integer])::text AS p2, array_fill(10::bigint, ARRAY[:n::integer])::text AS p4, array_fill(10::bigint, ARRAY[:n::integer])::text AS p5, array_fill(0::bigint, ARRAY[:n::integer])::text AS p6, array_fill('operator'::text, ARRAY[:n::integer])::text AS p7, array_fill('POS'::text, ARRAY[:n::integer])::text AS p8, array_fill('pgbench'::text, ARRAY[:n::integer])::text AS p9, array_fill(NULL::uuid, ARRAY[:n::integer])::text AS p11, array_fill(1000::bigint, ARRAY[:n::integer])::text AS p12, array_fill('USD'::text, ARRAY[:n::integer])::text AS p13, array_fill(now(), ARRAY[:n::integer])::text AS p14, array_fill(now(), ARRAY[:n::integer])::text AS p15, array_fill(NULL::text, ARRAY[:n::integer])::text AS p16, array_fill('$items'::text, ARRAY[:n::integer])::text AS p17, array_fill('$lot_expiry'::timestamptz, ARRAY[:n::integer])::text AS p20, array_fill(10::bigint, ARRAY[:n::integer])::text AS p21, array_fill(201, ARRAY[:n::integer])::text AS p49, (SELECT array_agg(json_build_object('transactionId', t, 'memberId', m, 'kind', 'EARN', 'points', 10, 'postedDelta', 10, 'relatedTransactionId', NULL, 'available', 10, 'posted', 10, 'held', 0)::text) FROM unnest(:p1::uuid[], :p3::uuid[]) AS r (t, m))::text AS p50, array_fill('\\x$(printf '%064d' 0 | tr 0 a)'::bytea, ARRAY[:n::integer])::text AS p48, (SELECT array_agg(gen_random_uuid()) FROM generate_series(1, :n::integer))::text AS p52, array_fill('TRANSFER_RECORDED'::text, ARRAY[:n::integer])::text AS p54, (SELECT array_agg(json_build_object('schemaVersion', 1, 'transferId', t, 'memberId', m, 'kind', 'EARN', 'points', 10, 'postedDelta', 10, 'heldDelta', 0, 'partnerId', 'operator', 'channel', 'POS', 'orderId', 'pgbench', 'relatedTransferId', NULL, 'amount', json_build_object('value', 1000, 'currency', 'USD'), 'items', '$items'::json -> 'items', 'occurredAt', now(), 'recordedAt', now(), 'account', json_build_object('tier', 'BASIC', 'posted', 10, 'held', 0, 'version', 1))::text) FROM unnest(:p1::uuid[], :p3::uuid[]) AS r (t, m))::text AS p55 \gset
$(echo "$apply" | sed -E "s/:p18([^0-9])/:p3\1/; s/:p19([^0-9])/:p1\1/; s/:p22([^0-9])/:p21\1/; s/:p(23|24|25|26|27|28|29|30|31|32|33|34|35|36|37|38|39|40|41)([^0-9])/'{}'\2/g; s/:p42([^0-9])/:p3\1/; s/:p46([^0-9])/:p7\1/; s/:p47([^0-9])/:p10\1/; s/:p51([^0-9])/86400\1/; s/:p53([^0-9])/:p3\1/; s/:p(56|57|58|59|60|62)([^0-9])/'{}'\2/g; s/:p61([^0-9])/:p3\1/");
COMMIT;
SQL
