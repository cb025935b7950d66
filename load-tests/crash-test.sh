#!/usr/bin/env bash
# -------------------------------------------------------------------------------------------------
# load-tests/crash-test.sh: kills the packaged points-ledger service with SIGKILL in the middle of
# an earn load, restarts it, and checks that every earn it acknowledged (201) is in the ledger and
# that every account still reconciles.
#
# It starts PostgreSQL (synchronous_commit=on), Redis and the service exactly as benchmark.sh does
# (load-tests/lib.sh), seeds members through the API, then runs W background workers, each a bash
# loop of curl requests (a new connection per request):
#     POST /v1/members/{random member}/earn   Idempotency-Key: crash-<run>-w<worker>-<n>
#     {"orderId":<the key>,"amount":{"value":1000,"currency":"USD"},"channel":"POS","items":[2 x SKU-1 500]}
# writing the transactionId of every 201 to its own file. After --kill-after seconds it sends
# SIGKILL to the service, restarts it at once (same jar, same database) and waits for it to be
# ready; the workers keep going through the outage (their requests are refused) and after it,
# until --duration seconds from the start. Then it checks, with psql and the API:
#   1. every acknowledged transactionId is in the ledger:
#        SELECT count(*) FROM transfers WHERE transfer_id = ANY(<the acknowledged ids>)
#      and is the EARN of the idempotency key it was acknowledged for     (missing must be 0)
#   2. requests whose connection broke at the kill (sent, no answer): how many committed anyway;
#      each is then retried once with its own Idempotency-Key and must answer 201, and every key
#      of the run must have at most one transfer (no earn applied twice)
#   3. refused requests (nothing sent while the service was down) are not in the ledger
#   4. every transfer has its TRANSFER_RECORDED event in the outbox (written in the same
#      transaction; without a broker the relay publishes nothing, so all of them are still there)
#   5. GET /v1/admin/reconciliation reports mismatchCount 0
#   6. (reported, not fatal) balances served by GET /v1/members/{id}/balance (Redis first) equal
#      the accounts in PostgreSQL
# Everything binds to 127.0.0.1; every wait is bounded; a trap stops what it started. Run as root.
#
# Usage:
#   load-tests/crash-test.sh [options]
#
# Options (default in brackets):
#   --members N         members enrolled and seeded with 10000 points each        [200]
#   --workers W         parallel curl workers (bash loops) sending earns           [8]
#   --duration S        seconds of load in all, from the first request             [40]
#   --kill-after S      seconds of load before the SIGKILL                         [10]
#   --port P            HTTP port of the service                                   [28090]
#   --management-port P the service's management port (health, metrics)            [29000]
#   --pg-port P         port of the test's PostgreSQL                              [25432]
#   --redis-port P      port of the test's Redis                                   [26379]
#                       (a default port that is taken is replaced by the next free one, logged;
#                       a port given here must be free: as for benchmark.sh)
#   --seed-parallelism N  curl processes for seeding                               [16]
#   --build             (re)build the service first
#   --ref REF           test the committed REF (e.g. HEAD), built from a git archive export
#                       (use it while src/ is being edited)
#   --keep              keep the PostgreSQL data dir (and the --ref build) after the run
#   -h, --help          print this help
#
# Environment: BENCH_WORK_DIR [a new /tmp/points-ledger-crash.XXXXXX], BENCH_BUILD_CACHE,
# BENCH_JAVA_OPTS, BENCH_ADMIN_KEY, BENCH_AUTH_HEADER, as for benchmark.sh.
#
# Output: a markdown report on stdout (also load-tests/results/crash-test-<UTC time>.md, git-ignored);
# progress on stderr. Exit status 1 when an acknowledged earn is missing, an earn was applied twice,
# a refused request is in the ledger, a transfer has no outbox event, a retried request did not
# answer 201, or the reconciliation finds a mismatch (or cannot be read).
# -------------------------------------------------------------------------------------------------
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_DIR="$(cd "$SCRIPT_DIR/.." && pwd)"
PL_NAME=crash-test

MEMBERS=200
WORKERS=8
DURATION=40
KILL_AFTER=10
PORT=""              # empty: the default of lib.sh, or the next free port
MANAGEMENT_PORT=""
PG_PORT=""
REDIS_PORT=""
SEED_PARALLELISM=16
BUILD=0
REF=""
KEEP=0
HOST=127.0.0.1

# shellcheck source=lib.sh
source "$SCRIPT_DIR/lib.sh"

while [[ $# -gt 0 ]]; do
    case "$1" in
        --members) require_number "$1" "${2:-}"; MEMBERS="$2"; shift 2 ;;
        --workers) require_number "$1" "${2:-}"; WORKERS="$2"; shift 2 ;;
        --duration) require_number "$1" "${2:-}"; DURATION="$2"; shift 2 ;;
        --kill-after) require_number "$1" "${2:-}"; KILL_AFTER="$2"; shift 2 ;;
        --port) require_number "$1" "${2:-}"; PORT="$2"; shift 2 ;;
        --management-port) require_number "$1" "${2:-}"; MANAGEMENT_PORT="$2"; shift 2 ;;
        --pg-port) require_number "$1" "${2:-}"; PG_PORT="$2"; shift 2 ;;
        --redis-port) require_number "$1" "${2:-}"; REDIS_PORT="$2"; shift 2 ;;
        --seed-parallelism) require_number "$1" "${2:-}"; SEED_PARALLELISM="$2"; shift 2 ;;
        --build) BUILD=1; shift ;;
        --ref) [[ -n "${2:-}" ]] || die "--ref needs a commit"; REF="$2"; shift 2 ;;
        --keep) KEEP=1; shift ;;
        -h|--help) pl_usage "${BASH_SOURCE[0]}"; exit 0 ;;
        *) pl_usage "${BASH_SOURCE[0]}" >&2; die "unknown option '$1'" ;;
    esac
done
(( KILL_AFTER < DURATION )) || die "--kill-after ($KILL_AFTER) must be below --duration ($DURATION)"
[[ $(id -u) -eq 0 ]] || die "run as root (installs Debian packages and runs PostgreSQL with runuser)"
LOADAVG_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"

pl_install_missing redis-server:redis-server ps:procps curl:curl jq:jq
pl_resolve_ports "service:PORT:--port" "management interface:MANAGEMENT_PORT:--management-port" \
    "PostgreSQL:PG_PORT:--pg-port" "Redis:REDIS_PORT:--redis-port"
pl_make_work_dir points-ledger-crash
RUN_ID="$(date -u +%Y%m%d%H%M%S)-$$"
LOAD_DIR="$WORK_DIR/load"
WORKER_PIDS=()

cleanup_hook() {
    local pid
    for pid in "${WORKER_PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    for pid in "${WORKER_PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
}
pl_install_traps

pl_start_postgres
pl_start_redis
pl_build
pl_start_service "$WORK_DIR/service-1.log"
pl_seed_members "$MEMBERS"
pl_auth_args

# ------------------------------------------------------------------------------ the load
# worker ID DEADLINE: earns until DEADLINE (epoch seconds). Files, one line per request outcome:
#   acked-ID.txt    transactionId<TAB>key                      (201 with a transactionId)
#   status-ID.txt   status<TAB>key                             (any other HTTP answer)
#   failed-ID.txt   curl exit<TAB>epoch<TAB>member<TAB>key     (no HTTP answer)
worker() {
    local id="$1" deadline="$2" n=0 member key answer code rc body
    local -a ids
    mapfile -t ids <"$MEMBERS_FILE"
    local acked="$LOAD_DIR/acked-$id.txt" statuses="$LOAD_DIR/status-$id.txt" failed="$LOAD_DIR/failed-$id.txt"
    : >"$acked"; : >"$statuses"; : >"$failed"
    while (( EPOCHSECONDS < deadline )); do
        n=$((n + 1))
        member="${ids[RANDOM % ${#ids[@]}]}"
        key="crash-$RUN_ID-w$id-$n"
        body="{\"orderId\":\"$key\",\"amount\":{\"value\":1000,\"currency\":\"USD\"},\"channel\":\"POS\",\"items\":[{\"sku\":\"SKU-1\",\"quantity\":1,\"unitPrice\":500},{\"sku\":\"SKU-1\",\"quantity\":1,\"unitPrice\":500}]}"
        rc=0
        answer="$(curl -sS --max-time 10 -w '\n%{http_code}' "${AUTH_ARGS[@]}" -H 'Content-Type: application/json' \
            -H "Idempotency-Key: $key" -d "$body" "$BASE_URL/v1/members/$member/earn" 2>/dev/null)" || rc=$?
        code="${answer##*$'\n'}"
        if [[ $rc -eq 0 && "$code" == "201" && "$answer" =~ \"transactionId\":\"([0-9a-fA-F-]{36})\" ]]; then
            printf '%s\t%s\n' "${BASH_REMATCH[1]}" "$key" >>"$acked"
        elif [[ $rc -eq 0 ]]; then
            printf '%s\t%s\n' "$code" "$key" >>"$statuses"
        else
            printf '%s\t%s\t%s\t%s\n' "$rc" "$EPOCHREALTIME" "$member" "$key" >>"$failed"
            # Refused: the service is down; do not spin.
            [[ $rc -ne 7 ]] || sleep 0.2
        fi
    done
}

rm -rf -- "$LOAD_DIR"
mkdir -p "$LOAD_DIR"
load_start=$EPOCHSECONDS
deadline=$(( load_start + DURATION ))
log "load: $WORKERS curl workers sending earns for ${DURATION}s; SIGKILL after ${KILL_AFTER}s"
for w in $(seq 1 "$WORKERS"); do
    worker "$w" "$deadline" &
    WORKER_PIDS+=("$!")
done

sleep "$KILL_AFTER"
acked_before_kill=$(cat "$LOAD_DIR"/acked-*.txt | wc -l)
kill_epoch=$EPOCHREALTIME
log "SIGKILL to the service (pid $SERVICE_PID) after $acked_before_kill acknowledged earns"
kill -KILL "$SERVICE_PID"
wait "$SERVICE_PID" 2>/dev/null || true
SERVICE_PID=""
pl_start_service "$WORK_DIR/service-2.log"
ready_epoch=$EPOCHREALTIME
downtime=$(awk -v k="$kill_epoch" -v r="$ready_epoch" 'BEGIN { printf "%.1f", r - k }')
log "restarted: ${downtime}s from SIGKILL to ready"
(( EPOCHSECONDS < deadline )) || log "the restart took longer than the rest of --duration: no load after it"

# The workers stop by themselves at the deadline; a request takes at most 10 s (curl --max-time).
for pid in "${WORKER_PIDS[@]}"; do
    for _ in $(seq 1 $(( (deadline - EPOCHSECONDS + 20) * 5 ))); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -0 "$pid" 2>/dev/null && { log "worker $pid still running past the deadline: stopping it"; kill -TERM "$pid" 2>/dev/null || true; }
    wait "$pid" 2>/dev/null || true
done
WORKER_PIDS=()
load_seconds=$(( EPOCHSECONDS - load_start ))

# ------------------------------------------------------------------------------ checks
cat "$LOAD_DIR"/acked-*.txt >"$LOAD_DIR/acked.tsv"
cat "$LOAD_DIR"/status-*.txt >"$LOAD_DIR/statuses.tsv"
cat "$LOAD_DIR"/failed-*.txt >"$LOAD_DIR/failed.tsv"
acked=$(wc -l <"$LOAD_DIR/acked.tsv")
acked_unique=$(cut -f1 "$LOAD_DIR/acked.tsv" | sort -u | wc -l)
other_statuses=$(wc -l <"$LOAD_DIR/statuses.tsv")
other_statuses_text="$(cut -f1 "$LOAD_DIR/statuses.tsv" | sort | uniq -c | awk '{ printf "%s%s: %s", sep, $2, $1; sep = ", " }')"
failed=$(wc -l <"$LOAD_DIR/failed.tsv")
refused=$(awk -F'\t' '$1 == 7' "$LOAD_DIR/failed.tsv" | wc -l)
awk -F'\t' '$1 != 7' "$LOAD_DIR/failed.tsv" >"$LOAD_DIR/in-flight.tsv"
in_flight=$(wc -l <"$LOAD_DIR/in-flight.tsv")
failed_text="$(cut -f1 "$LOAD_DIR/failed.tsv" | sort -n | uniq -c | awk '
    BEGIN { name[7] = "refused"; name[52] = "empty reply"; name[56] = "connection reset"; name[28] = "timeout"; name[55] = "send failed" }
    { printf "%scurl exit %s (%s): %s", sep, $2, ($2 in name ? name[$2] : "other"), $1; sep = ", " }')"
attempted=$(( acked + other_statuses + failed ))
log "requests: $attempted; acknowledged (201) $acked; other statuses $other_statuses; no answer $failed ($failed_text)"

# 1. Every acknowledged earn in the ledger, as the EARN of its key.
log "checking the acknowledged transactionIds in PostgreSQL"
timeout 300 "${PSQL[@]}" -A -t >"$LOAD_DIR/check.txt" 2>&1 <<SQL || { cat "$LOAD_DIR/check.txt" >&2; die "the ledger checks failed"; }
CREATE TEMP TABLE acked (transfer_id uuid, idempotency_key text);
\\copy acked FROM '$LOAD_DIR/acked.tsv'
CREATE TEMP TABLE failed (curl_exit int, at text, member_id uuid, idempotency_key text);
\\copy failed FROM '$LOAD_DIR/failed.tsv'
SELECT 'found', count(*) FROM transfers WHERE transfer_id = ANY (ARRAY(SELECT transfer_id FROM acked));
SELECT 'matching', count(*) FROM acked a JOIN transfers t
    ON t.transfer_id = a.transfer_id AND t.idempotency_key = a.idempotency_key AND t.kind = 'EARN';
SELECT 'in_flight_committed', count(*) FROM failed f
 WHERE f.curl_exit <> 7 AND EXISTS (SELECT 1 FROM transfers t WHERE t.idempotency_key = f.idempotency_key);
SELECT 'refused_committed', count(*) FROM failed f
 WHERE f.curl_exit = 7 AND EXISTS (SELECT 1 FROM transfers t WHERE t.idempotency_key = f.idempotency_key);
SELECT 'missing_ids', coalesce(string_agg(transfer_id::text, ' '), '') FROM (
    SELECT a.transfer_id FROM acked a WHERE NOT EXISTS (SELECT 1 FROM transfers t WHERE t.transfer_id = a.transfer_id)
     LIMIT 10) m;
SQL
value() { awk -F'|' -v k="$1" '$1 == k { print $2 }' "$LOAD_DIR/check.txt"; }
found="$(value found)"
matching="$(value matching)"
in_flight_committed="$(value in_flight_committed)"
refused_committed="$(value refused_committed)"
missing_ids="$(value missing_ids)"
missing_count=$(( acked_unique - found ))

# 2. Retry each request that broke in flight, with its own key: 201 expected (a replay of the
#    committed answer, or the first application), then at most one transfer per key of the run.
retried=0; retried_201=0; retried_other=""
while IFS=$'\t' read -r _ _ member key; do
    body="{\"orderId\":\"$key\",\"amount\":{\"value\":1000,\"currency\":\"USD\"},\"channel\":\"POS\",\"items\":[{\"sku\":\"SKU-1\",\"quantity\":1,\"unitPrice\":500},{\"sku\":\"SKU-1\",\"quantity\":1,\"unitPrice\":500}]}"
    code="$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 "${AUTH_ARGS[@]}" -H 'Content-Type: application/json' \
        -H "Idempotency-Key: $key" -d "$body" "$BASE_URL/v1/members/$member/earn" || true)"
    retried=$((retried + 1))
    if [[ "$code" == "201" ]]; then retried_201=$((retried_201 + 1)); else retried_other="$retried_other $code"; fi
done <"$LOAD_DIR/in-flight.tsv"
duplicates="$(pl_sql "SELECT count(*) FROM (SELECT idempotency_key FROM transfers WHERE idempotency_key LIKE 'crash-$RUN_ID-%'
                      GROUP BY idempotency_key HAVING count(*) > 1) d")"
run_transfers="$(pl_sql "SELECT count(*) FROM transfers WHERE idempotency_key LIKE 'crash-$RUN_ID-%'")"

# 4. The outbox: one TRANSFER_RECORDED event per transfer (nothing publishes without a broker).
row="$(pl_sql "SELECT (SELECT count(*) FROM transfers),
                      (SELECT count(*) FROM transfers t WHERE NOT EXISTS (
                           SELECT 1 FROM outbox o WHERE o.event_type = 'TRANSFER_RECORDED'
                              AND o.payload ->> 'transferId' = t.transfer_id::text)),
                      (SELECT count(*) FROM outbox)")"
IFS='|' read -r transfers_total transfers_without_event outbox_total <<<"$row"

# 5. Reconciliation through the API.
reconciliation="$(curl -sS --max-time 60 "${AUTH_ARGS[@]}" "$BASE_URL/v1/admin/reconciliation" 2>&1 || true)"
mismatch_count="$(jq -r '.mismatchCount // empty' <<<"$reconciliation" 2>/dev/null || true)"
members_checked="$(jq -r '.membersChecked // empty' <<<"$reconciliation" 2>/dev/null || true)"

# 6. Balances served (Redis first) against PostgreSQL.
awk -v base="$BASE_URL" '{ print "url = \"" base "/v1/members/" $1 "/balance\"" }' "$MEMBERS_FILE" >"$LOAD_DIR/balances.curl"
timeout 300 curl -s --max-time 10 "${AUTH_ARGS[@]}" -w '\n' -K "$LOAD_DIR/balances.curl" 2>/dev/null \
    | jq -r 'select(.memberId != null) | "\(.memberId)|\(.posted)|\(.held)|\(.version)"' 2>/dev/null \
    | sort >"$LOAD_DIR/balances-api.txt" || true
pl_sql "SELECT member_id, posted, held, version FROM member_accounts ORDER BY 1" | sort >"$LOAD_DIR/balances-db.txt"
balances_read=$(wc -l <"$LOAD_DIR/balances-api.txt")
balances_stale=$(comm -23 "$LOAD_DIR/balances-api.txt" "$LOAD_DIR/balances-db.txt" | wc -l)
# "member: API posted p (version v), PostgreSQL posted p' (version v')" for the first three stale ones
stale_examples="$(comm -23 "$LOAD_DIR/balances-api.txt" "$LOAD_DIR/balances-db.txt" | head -n 3 | while IFS='|' read -r m p _ v; do
    IFS='|' read -r _ dp _ dv < <(grep "^$m|" "$LOAD_DIR/balances-db.txt")
    printf '%s: API posted %s (version %s), PostgreSQL posted %s (version %s); ' "$m" "$p" "$v" "$dp" "$dv"
done)"

log_counts() {   # log_counts FILE -> "N ERROR/SEVERE/Exception, M WARN lines"
    echo "$(grep -cE '(ERROR|SEVERE|Exception)' "$1" || true) ERROR/SEVERE/Exception lines," \
        "$(grep -cE '^[0-9-]+ [0-9:,]+ WARN ' "$1" || true) WARN lines"
}

# ------------------------------------------------------------------------------ verdict, report
problems=()
(( missing_count == 0 )) || problems+=("$missing_count acknowledged earns missing from the ledger")
[[ "$matching" == "$acked_unique" ]] || problems+=("$(( acked_unique - matching )) acknowledged ids not the EARN of their key")
(( acked_unique == acked )) || problems+=("$(( acked - acked_unique )) transactionIds acknowledged twice")
[[ "$duplicates" == "0" ]] || problems+=("$duplicates idempotency keys with more than one transfer")
[[ "$refused_committed" == "0" ]] || problems+=("$refused_committed refused requests in the ledger")
(( retried_201 == retried )) || problems+=("$(( retried - retried_201 )) retries of broken requests did not answer 201:$retried_other")
[[ "$transfers_without_event" == "0" ]] || problems+=("$transfers_without_event transfers without their outbox event")
[[ "$mismatch_count" == "0" ]] || problems+=("reconciliation: ${mismatch_count:-unreadable} mismatches")
if [[ ${#problems[@]} -eq 0 ]]; then verdict="PASSED"; else verdict="FAILED: $(printf '%s; ' "${problems[@]}" | sed 's/; $//')"; fi

mkdir -p "$SCRIPT_DIR/results"
REPORT="$SCRIPT_DIR/results/crash-test-$(date -u +%Y%m%dT%H%M%SZ).md"
{
    echo "## points-ledger crash test: SIGKILL during an earn load"
    echo
    echo "| check | result |"
    echo "|---|---|"
    echo "| earn requests sent | $attempted in ${load_seconds} s by $WORKERS curl workers |"
    echo "| acknowledged earns (201 with a transactionId) | $acked ($acked_before_kill before the kill) |"
    echo "| found in the ledger (transfers) | $found |"
    echo "| **missing** | **$missing_count** |"
    echo "| failed because of the kill (no HTTP answer) | $failed: $refused refused while the service was down, $in_flight broken in flight${failed_text:+ ($failed_text)} |"
    echo "| broken in flight but committed | $in_flight_committed of $in_flight; retried with their keys: $retried_201 of $retried answered 201 |"
    echo "| other HTTP statuses | $other_statuses${other_statuses_text:+ ($other_statuses_text)} |"
    echo "| earns applied twice (keys with > 1 transfer) | $duplicates (transfers of the run: $run_transfers) |"
    echo "| transfers without their outbox event | $transfers_without_event of $transfers_total |"
    echo "| reconciliation (GET /v1/admin/reconciliation) | mismatchCount ${mismatch_count:-?} of ${members_checked:-?} members |"
    echo "| verdict | $verdict |"
    echo
    echo "- kill: SIGKILL after ${KILL_AFTER} s of load; ${downtime} s from the kill to /q/health/ready" \
        "after the restart (same jar and database); the workers kept sending through the outage"
    echo "- found: SELECT count(*) FROM transfers WHERE transfer_id = ANY(<the $acked_unique acknowledged ids>);" \
        "all of them the EARN of the Idempotency-Key they were acknowledged for: $matching${missing_ids:+; first missing: $missing_ids}"
    echo "- broken in flight: curl got no HTTP answer on a request it had sent (empty reply, reset, timeout):" \
        "its outcome was unknown to the client; the ledger holds $in_flight_committed of them (committed before" \
        "the kill, answer lost); retrying each with its own key answered 201 for $retried_201 of $retried" \
        "(a replay of the stored answer for the committed ones, a first application for the others)," \
        "and no key of the run has more than one transfer"
    echo "- refused: connection refused while the service was down, nothing sent; in the ledger: $refused_committed"
    echo "- outbox: $outbox_total events for $transfers_total transfers (no broker in this test, so the relay" \
        "publishes nothing and every event stays); transfers without one: $transfers_without_event"
    echo "- balances read through the API (Redis first) after the run: $balances_read of $MEMBERS members," \
        "$balances_stale differing from member_accounts in PostgreSQL (informational)${stale_examples:+: ${stale_examples%; }}"
    echo "- reconciliation: $reconciliation"
    echo "- service logs: before the kill $(log_counts "$WORK_DIR/service-1.log") ($WORK_DIR/service-1.log);" \
        "after the restart $(log_counts "$WORK_DIR/service-2.log") ($WORK_DIR/service-2.log)"
    echo "- service readiness (GET /q/health/ready) after the restart: $SERVICE_READINESS"
    echo "- setup: $MEMBERS members seeded with 10000 points each in ${SEED_SECONDS} s; PostgreSQL" \
        "synchronous_commit=on; service, PostgreSQL, Redis and the workers on one machine"
    echo "- machine: $(nproc) CPUs ($(pl_cpu_model)), $(pl_mem_total) memory; load average (1/5/15 min)" \
        "before the run $LOADAVG_BEFORE, after it $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "- date: $(date -u +%Y-%m-%dT%H:%M:%SZ); git commit: $(pl_commit_text); outcome files: $LOAD_DIR"
} >"$REPORT"
cat "$REPORT"
log "report written to $REPORT"
[[ ${#problems[@]} -eq 0 ]] || die "$verdict"
