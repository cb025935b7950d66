#!/usr/bin/env bash
# -------------------------------------------------------------------------------------------------
# load-tests/database-restart-test.sh: restarts, then crashes, the PostgreSQL of the packaged
# points-ledger service in the middle of an earn load, and checks that every request got one
# answer, a 201 or a 503 with Retry-After (never a 500), that every earn retried with its key
# applied exactly once, that readiness went DOWN during the outage and UP after it, and that the
# service logged no exception nobody handled.
#
# It starts PostgreSQL (synchronous_commit=on), Redis and the service exactly as benchmark.sh does
# (load-tests/lib.sh), seeds members through the API, then runs W background workers, each a bash
# loop of curl requests (a new connection per request) until --duration seconds from the start or
# --requests-max requests:
#     POST /v1/members/{random member}/earn   Idempotency-Key: dbrestart-<run>-w<worker>-<n>
#     {"orderId":<the key>,"amount":{"value":1000,"currency":"USD"},"channel":"POS","items":[2 x SKU-1 500]}
# A worker that gets a 503 (or no answer) sends the same request again, with the same key, after
# the Retry-After seconds (0.5 s without one), up to --attempts-max times, as a till would.
# Meanwhile, from the start:
#   after --restart-after s   pg_ctl restart -m fast           (sessions terminated: 57P01; then
#                                                               "shutting down" / "starting up": 57P03)
#   after --crash-after s     pg_ctl stop -m immediate         (crash: connections reset)
#   --down-seconds later      pg_ctl start                     (crash recovery, then back)
# and a sampler reads GET /q/health/ready every 0.25 s. Then it checks, with psql and the API:
#   1. every status: no 500, every 503 with Retry-After
#   2. every acknowledged transactionId is in the ledger as the EARN of its key (missing must be 0)
#   3. each key that never got its 201 is sent once more and must answer 201; then every key of the
#      run has exactly one transfer (none applied twice, none lost)
#   4. GET /v1/admin/reconciliation reports mismatchCount 0
#   5. readiness: DOWN (503) seen while PostgreSQL was away, UP (200) after, without a restart
#   6. after a quiet period of --quiet-seconds past PostgreSQL's return (the old pool timer's 30 s
#      and a margin), the service log has no "Result is already complete", no "Uncaught exception"
#      and no 500 logged ("Unexpected failure", "PostgreSQL refused a statement")
# Everything binds to 127.0.0.1; every wait is bounded; a trap stops what it started. Run as root.
#
# Usage:
#   load-tests/database-restart-test.sh [options]
#
# Options (default in brackets):
#   --members N         members enrolled and seeded with 10000 points each        [200]
#   --workers W         parallel curl workers (bash loops) sending earns           [8]
#   --duration S        seconds of load in all, from the first request             [40]
#   --requests-max N    requests per worker at most, retries included              [20000]
#   --attempts-max N    attempts per key at most (the first and its retries)       [20]
#   --restart-after S   seconds of load before pg_ctl restart -m fast              [10]
#   --crash-after S     seconds of load before pg_ctl stop -m immediate            [22]
#   --down-seconds S    seconds between the crash and pg_ctl start                 [3]
#   --quiet-seconds S   seconds after PostgreSQL's return before the log is read   [32]
#   --port P            HTTP port of the service                                   [28090]
#   --management-port P the service's management port (health, metrics)            [29000]
#   --pg-port P         port of the test's PostgreSQL                              [25432]
#   --redis-port P      port of the test's Redis                                   [26379]
#                       (a default port that is taken is replaced by the next free one, logged;
#                       a port given here must be free: as for benchmark.sh)
#   --seed-parallelism N  curl processes for seeding                               [16]
#   --build             (re)build the service first
#   --ref REF           test the committed REF (e.g. HEAD), built from a git archive export
#   --keep              keep the PostgreSQL data dir (and the --ref build) after the run
#   -h, --help          print this help
#
# Environment: BENCH_WORK_DIR [a new /tmp/points-ledger-dbrestart.XXXXXX], BENCH_BUILD_CACHE,
# BENCH_JAVA_OPTS, BENCH_ADMIN_KEY, BENCH_AUTH_HEADER, as for benchmark.sh.
#
# Output: a markdown report on stdout (also load-tests/results/database-restart-test-<UTC time>.md,
# git-ignored); progress on stderr. Exit status 1 when a check fails.
# -------------------------------------------------------------------------------------------------
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_DIR="$(cd "$SCRIPT_DIR/.." && pwd)"
PL_NAME=database-restart-test

MEMBERS=200
WORKERS=8
DURATION=40
REQUESTS_MAX=20000
ATTEMPTS_MAX=20
RESTART_AFTER=10
CRASH_AFTER=22
DOWN_SECONDS=3
QUIET_SECONDS=32
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
        --requests-max) require_number "$1" "${2:-}"; REQUESTS_MAX="$2"; shift 2 ;;
        --attempts-max) require_number "$1" "${2:-}"; ATTEMPTS_MAX="$2"; shift 2 ;;
        --restart-after) require_number "$1" "${2:-}"; RESTART_AFTER="$2"; shift 2 ;;
        --crash-after) require_number "$1" "${2:-}"; CRASH_AFTER="$2"; shift 2 ;;
        --down-seconds) require_number "$1" "${2:-}"; DOWN_SECONDS="$2"; shift 2 ;;
        --quiet-seconds) require_number "$1" "${2:-}"; QUIET_SECONDS="$2"; shift 2 ;;
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
(( RESTART_AFTER < CRASH_AFTER && CRASH_AFTER + DOWN_SECONDS < DURATION )) \
    || die "need --restart-after < --crash-after and --crash-after + --down-seconds < --duration"
[[ $(id -u) -eq 0 ]] || die "run as root (installs Debian packages and runs PostgreSQL with runuser)"
LOADAVG_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"

pl_install_missing redis-server:redis-server ps:procps curl:curl jq:jq
pl_resolve_ports "service:PORT:--port" "management interface:MANAGEMENT_PORT:--management-port" \
    "PostgreSQL:PG_PORT:--pg-port" "Redis:REDIS_PORT:--redis-port"
pl_make_work_dir points-ledger-dbrestart
RUN_ID="$(date -u +%Y%m%d%H%M%S)-$$"
LOAD_DIR="$WORK_DIR/load"
WORKER_PIDS=()
SAMPLER_PID=""

cleanup_hook() {
    local pid
    for pid in "${WORKER_PIDS[@]}" $SAMPLER_PID; do kill -TERM "$pid" 2>/dev/null || true; done
    for pid in "${WORKER_PIDS[@]}" $SAMPLER_PID; do wait "$pid" 2>/dev/null || true; done
}
pl_install_traps

pl_start_postgres
pl_start_redis
pl_build
pl_start_service "$WORK_DIR/service.log"
pl_seed_members "$MEMBERS"
pl_auth_args

pg_ctl() {   # pg_ctl ARGS... as the postgres user, bounded, its output in pg_ctl.log
    runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_LOG" -t 60 "$@" >>"$WORK_DIR/pg_ctl.log" 2>&1
}

earn_body() {   # earn_body KEY -> the request of wrk/earn.lua, the key as orderId
    printf '{"orderId":"%s","amount":{"value":1000,"currency":"USD"},"channel":"POS","items":[%s,%s]}' "$1" \
        '{"sku":"SKU-1","quantity":1,"unitPrice":500}' '{"sku":"SKU-1","quantity":1,"unitPrice":500}'
}

# ------------------------------------------------------------------------------ the load
# worker ID DEADLINE: earns until DEADLINE (epoch seconds) or REQUESTS_MAX requests. Files, one
# line per attempt (every attempt of a key, retries included):
#   attempts-ID.txt   epoch<TAB>status (000: no answer)<TAB>curl exit<TAB>Retry-After<TAB>key<TAB>member
#   acked-ID.txt      transactionId<TAB>key                      (201 with a transactionId)
#   unsettled-ID.txt  member<TAB>key                             (a key still without its 201 at the end)
worker() {
    local id="$1" deadline="$2" n=0 requests=0 attempt member key answer code retry rc body wait_s
    local -a ids
    mapfile -t ids <"$MEMBERS_FILE"
    local attempts="$LOAD_DIR/attempts-$id.txt" acked="$LOAD_DIR/acked-$id.txt" unsettled="$LOAD_DIR/unsettled-$id.txt"
    : >"$attempts"; : >"$acked"; : >"$unsettled"
    while (( EPOCHSECONDS < deadline && requests < REQUESTS_MAX )); do
        n=$((n + 1))
        member="${ids[RANDOM % ${#ids[@]}]}"
        key="dbrestart-$RUN_ID-w$id-$n"
        body="$(earn_body "$key")"
        code=""
        for (( attempt = 1; attempt <= ATTEMPTS_MAX && requests < REQUESTS_MAX; attempt++ )); do
            requests=$((requests + 1))
            rc=0
            answer="$(curl -sS --max-time 15 -w '\n%{http_code} %header{retry-after}' "${AUTH_ARGS[@]}" \
                -H 'Content-Type: application/json' -H "Idempotency-Key: $key" -d "$body" \
                "$BASE_URL/v1/members/$member/earn" 2>/dev/null)" || rc=$?
            read -r code retry <<<"${answer##*$'\n'}"
            [[ $rc -eq 0 && -n "$code" ]] || code="000"
            printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$EPOCHREALTIME" "$code" "$rc" "${retry:--}" "$key" "$member" >>"$attempts"
            if [[ "$code" == "201" ]]; then
                [[ "$answer" =~ \"transactionId\":\"([0-9a-fA-F-]{36})\" ]] \
                    && printf '%s\t%s\n' "${BASH_REMATCH[1]}" "$key" >>"$acked"
                break
            fi
            [[ "$code" == "503" || "$code" == "000" ]] || break   # anything else is final
            (( EPOCHSECONDS < deadline )) || break
            wait_s="${retry:-0.5}"
            [[ "$wait_s" =~ ^[0-9]+$ ]] || wait_s=0.5
            sleep "$wait_s"
        done
        [[ "$code" == "201" ]] || printf '%s\t%s\n' "$member" "$key" >>"$unsettled"
    done
}

# sampler: GET /q/health/ready every 0.25 s -> readiness.tsv: epoch<TAB>status
sampler() {
    local code
    while :; do
        code="$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$MANAGEMENT_URL/q/health/ready" 2>/dev/null || true)"
        printf '%s\t%s\n' "$EPOCHREALTIME" "${code:-000}" >>"$LOAD_DIR/readiness.tsv"
        sleep 0.25
    done
}

rm -rf -- "$LOAD_DIR"
mkdir -p "$LOAD_DIR"
: >"$WORK_DIR/pg_ctl.log"
sampler &
SAMPLER_PID=$!
load_start=$EPOCHSECONDS
deadline=$(( load_start + DURATION ))
log "load: $WORKERS curl workers sending earns for ${DURATION}s; restart -m fast after ${RESTART_AFTER}s," \
    "stop -m immediate after ${CRASH_AFTER}s, start ${DOWN_SECONDS}s later"
for w in $(seq 1 "$WORKERS"); do
    worker "$w" "$deadline" &
    WORKER_PIDS+=("$!")
done

sleep $(( load_start + RESTART_AFTER - EPOCHSECONDS ))
acked_before_restart=$(cat "$LOAD_DIR"/acked-*.txt | wc -l)
restart_start=$EPOCHREALTIME
log "pg_ctl restart -m fast after $acked_before_restart acknowledged earns"
pg_ctl -m fast -w restart || { tail -n 30 "$PG_LOG" >&2; die "pg_ctl restart failed"; }
restart_end=$EPOCHREALTIME

sleep $(( load_start + CRASH_AFTER - EPOCHSECONDS ))
acked_before_crash=$(cat "$LOAD_DIR"/acked-*.txt | wc -l)
crash_start=$EPOCHREALTIME
log "pg_ctl stop -m immediate after $acked_before_crash acknowledged earns"
pg_ctl -m immediate -w stop || { tail -n 30 "$PG_LOG" >&2; die "pg_ctl stop -m immediate failed"; }
sleep "$DOWN_SECONDS"
log "pg_ctl start"
pg_ctl -w start || { tail -n 30 "$PG_LOG" >&2; die "PostgreSQL did not start again"; }
crash_end=$EPOCHREALTIME

# The workers stop by themselves at the deadline; an attempt takes at most 15 s (curl --max-time)
# plus a Retry-After.
for pid in "${WORKER_PIDS[@]}"; do
    for _ in $(seq 1 $(( (deadline - EPOCHSECONDS + 30) * 5 ))); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -0 "$pid" 2>/dev/null && { log "worker $pid still running past the deadline: stopping it"; kill -TERM "$pid" 2>/dev/null || true; }
    wait "$pid" 2>/dev/null || true
done
WORKER_PIDS=()
load_seconds=$(( EPOCHSECONDS - load_start ))
sleep 2   # a last readiness sample or two after the load
kill -TERM "$SAMPLER_PID" 2>/dev/null || true
wait "$SAMPLER_PID" 2>/dev/null || true
SAMPLER_PID=""

# ------------------------------------------------------------------------------ checks
cat "$LOAD_DIR"/attempts-*.txt >"$LOAD_DIR/attempts.tsv"
cat "$LOAD_DIR"/acked-*.txt >"$LOAD_DIR/acked.tsv"
cat "$LOAD_DIR"/unsettled-*.txt >"$LOAD_DIR/unsettled.tsv"
attempts=$(wc -l <"$LOAD_DIR/attempts.tsv")
keys=$(cut -f5 "$LOAD_DIR/attempts.tsv" | sort -u | wc -l)
statuses_text="$(cut -f2 "$LOAD_DIR/attempts.tsv" | sort | uniq -c | sort -k2 | awk '{ printf "%s%s: %s", sep, ($2 == "000" ? "no answer" : $2), $1; sep = ", " }')"
count_status() { awk -F'\t' -v s="$1" '$2 == s' "$LOAD_DIR/attempts.tsv" | wc -l; }
status_201=$(count_status 201)
status_503=$(count_status 503)
status_500=$(count_status 500)
no_answer=$(count_status 000)
other_statuses=$(( attempts - status_201 - status_503 - status_500 - no_answer ))
no_answer_text="$(awk -F'\t' '$2 == "000" { print $3 }' "$LOAD_DIR/attempts.tsv" | sort -n | uniq -c | awk '
    BEGIN { name[7] = "refused"; name[52] = "empty reply"; name[56] = "connection reset"; name[28] = "timeout" }
    { printf "%scurl exit %s (%s): %s", sep, $2, ($2 in name ? name[$2] : "other"), $1; sep = ", " }')"
without_retry_after=$(awk -F'\t' '$2 == "503" && $4 !~ /^[0-9]+$/' "$LOAD_DIR/attempts.tsv" | wc -l)
retry_after_values="$(awk -F'\t' '$2 == "503" { print $4 }' "$LOAD_DIR/attempts.tsv" | sort | uniq -c | awk '{ printf "%s%s s: %s", sep, $2, $1; sep = ", " }')"
retried_keys=$(awk -F'\t' '{ n[$5]++ } END { c = 0; for (k in n) if (n[k] > 1) c++; print c }' "$LOAD_DIR/attempts.tsv")
acked=$(wc -l <"$LOAD_DIR/acked.tsv")
acked_unique=$(cut -f1 "$LOAD_DIR/acked.tsv" | sort -u | wc -l)
log "attempts: $attempts for $keys keys ($statuses_text); acknowledged $acked"

# 3. Keys still without their 201 (the deadline came, or the attempts ran out): once more each.
unsettled=$(wc -l <"$LOAD_DIR/unsettled.tsv")
final_201=0; final_other=""
while IFS=$'\t' read -r member key; do
    answer="$(curl -sS --max-time 15 -w '\n%{http_code}' "${AUTH_ARGS[@]}" -H 'Content-Type: application/json' \
        -H "Idempotency-Key: $key" -d "$(earn_body "$key")" "$BASE_URL/v1/members/$member/earn" 2>/dev/null || true)"
    code="${answer##*$'\n'}"
    if [[ "$code" == "201" ]]; then
        final_201=$((final_201 + 1))
        [[ "$answer" =~ \"transactionId\":\"([0-9a-fA-F-]{36})\" ]] && printf '%s\t%s\n' "${BASH_REMATCH[1]}" "$key" >>"$LOAD_DIR/acked.tsv"
    else
        final_other="$final_other $code"
    fi
done <"$LOAD_DIR/unsettled.tsv"
acked_all_unique=$(cut -f1 "$LOAD_DIR/acked.tsv" | sort -u | wc -l)

# 2. and 3. In PostgreSQL: every acknowledged id the EARN of its key; one transfer per key.
log "checking the ledger in PostgreSQL"
timeout 300 "${PSQL[@]}" -A -t >"$LOAD_DIR/check.txt" 2>&1 <<SQL || { cat "$LOAD_DIR/check.txt" >&2; die "the ledger checks failed"; }
CREATE TEMP TABLE acked (transfer_id uuid, idempotency_key text);
\\copy acked FROM '$LOAD_DIR/acked.tsv'
SELECT 'found', count(*) FROM transfers WHERE transfer_id = ANY (ARRAY(SELECT transfer_id FROM acked));
SELECT 'matching', count(*) FROM (SELECT DISTINCT transfer_id, idempotency_key FROM acked) a JOIN transfers t
    ON t.transfer_id = a.transfer_id AND t.idempotency_key = a.idempotency_key AND t.kind = 'EARN';
SELECT 'run_transfers', count(*) FROM transfers WHERE idempotency_key LIKE 'dbrestart-$RUN_ID-%';
SELECT 'run_keys', count(DISTINCT idempotency_key) FROM transfers WHERE idempotency_key LIKE 'dbrestart-$RUN_ID-%';
SELECT 'duplicates', count(*) FROM (SELECT idempotency_key FROM transfers WHERE idempotency_key LIKE 'dbrestart-$RUN_ID-%'
                                    GROUP BY idempotency_key HAVING count(*) > 1) d;
SQL
value() { awk -F'|' -v k="$1" '$1 == k { print $2 }' "$LOAD_DIR/check.txt"; }
found="$(value found)"
matching="$(value matching)"
run_transfers="$(value run_transfers)"
run_keys="$(value run_keys)"
duplicates="$(value duplicates)"

# 4. Reconciliation through the API.
reconciliation="$(curl -sS --max-time 60 "${AUTH_ARGS[@]}" "$BASE_URL/v1/admin/reconciliation" 2>&1 || true)"
mismatch_count="$(jq -r '.mismatchCount // empty' <<<"$reconciliation" 2>/dev/null || true)"
members_checked="$(jq -r '.membersChecked // empty' <<<"$reconciliation" 2>/dev/null || true)"

# 5. Readiness: samples in each outage window (from the pg_ctl command to 5 s after it returned,
#    the readiness check's own time included) and after the last one.
readiness_in() {   # readiness_in FROM TO -> "N DOWN of M samples"
    awk -F'\t' -v from="$1" -v to="$2" '$1 >= from && $1 <= to { m++; if ($2 != "200") d++ }
        END { printf "%d DOWN of %d samples", d, m }' "$LOAD_DIR/readiness.tsv"
}
restart_readiness="$(readiness_in "$restart_start" "$(awk -v t="$restart_end" 'BEGIN { printf "%.6f", t + 5 }')")"
crash_readiness="$(readiness_in "$crash_start" "$(awk -v t="$crash_end" 'BEGIN { printf "%.6f", t + 5 }')")"
down_seen=$(awk -F'\t' -v from="$restart_start" '$1 >= from && $2 != "200"' "$LOAD_DIR/readiness.tsv" | wc -l)
up_after="$(awk -F'\t' -v from="$crash_end" '$1 >= from && $2 == "200" { print $1; exit }' "$LOAD_DIR/readiness.tsv")"
up_after_seconds="$([[ -n "$up_after" ]] && awk -v u="$up_after" -v e="$crash_end" 'BEGIN { printf "%.1f", u - e }' || echo never)"
last_readiness="$(tail -n 1 "$LOAD_DIR/readiness.tsv" | cut -f2)"
down_seconds_total="$(awk -F'\t' 'NR > 1 && prev != "200" { d += $1 - t } { t = $1; prev = $2 } END { printf "%.1f", d }' "$LOAD_DIR/readiness.tsv")"
service_alive=yes; kill -0 "$SERVICE_PID" 2>/dev/null || service_alive=no

# 6. The service log, once the quiet period after PostgreSQL's return is over.
quiet_until=$(awk -v e="$crash_end" -v q="$QUIET_SECONDS" 'BEGIN { printf "%d", e + q + 1 }')
if (( EPOCHSECONDS < quiet_until )); then
    log "waiting $(( quiet_until - EPOCHSECONDS )) s: a failure completed twice would show ${QUIET_SECONDS} s late at most"
    sleep $(( quiet_until - EPOCHSECONDS ))
fi
service_log="$WORK_DIR/service.log"
already_complete=$(grep -c 'Result is already complete' "$service_log" || true)
uncaught=$(grep -c 'Uncaught exception' "$service_log" || true)
logged_500=$(grep -cE 'Unexpected failure|PostgreSQL refused a statement|Request failed' "$service_log" || true)
unavailable_logged="$({ grep -o 'PostgreSQL is unavailable: [^:]*: [^(]*\(([0-9A-Z]\{5\})\)\?' "$service_log" || true; } \
    | sed -e 's/PostgreSQL is unavailable: //' -e 's/localhost\/127.0.0.1:[0-9]*//' | sort | uniq -c | sort -rn \
    | awk '{ c = $1; $1 = ""; printf "%s%s x%s", sep, c, $0; sep = "; " }')"

# ------------------------------------------------------------------------------ verdict, report
problems=()
(( status_500 == 0 )) || problems+=("$status_500 answers 500")
(( other_statuses == 0 )) || problems+=("$other_statuses answers neither 201 nor 503")
(( without_retry_after == 0 )) || problems+=("$without_retry_after answers 503 without Retry-After")
[[ "$found" == "$acked_all_unique" ]] || problems+=("$(( acked_all_unique - found )) acknowledged earns missing from the ledger")
[[ "$matching" == "$acked_all_unique" ]] || problems+=("$(( acked_all_unique - matching )) acknowledged ids not the EARN of their key")
(( final_201 == unsettled )) || problems+=("$(( unsettled - final_201 )) keys did not answer 201 when sent once more:$final_other")
[[ "$run_keys" == "$keys" ]] || problems+=("$(( keys - run_keys )) keys of the run without a transfer")
[[ "$duplicates" == "0" ]] || problems+=("$duplicates keys applied twice")
[[ "$mismatch_count" == "0" ]] || problems+=("reconciliation: ${mismatch_count:-unreadable} mismatches")
(( down_seen > 0 )) || problems+=("readiness never went DOWN while PostgreSQL was away")
[[ "$last_readiness" == "200" ]] || problems+=("readiness not UP after the outage (last: $last_readiness)")
[[ "$service_alive" == "yes" ]] || problems+=("the service exited")
(( already_complete == 0 )) || problems+=("$already_complete 'Result is already complete' in the service log")
(( uncaught == 0 )) || problems+=("$uncaught 'Uncaught exception' in the service log")
(( logged_500 == 0 )) || problems+=("$logged_500 failures logged as 500 in the service log")
if [[ ${#problems[@]} -eq 0 ]]; then verdict="PASSED"; else verdict="FAILED: $(printf '%s; ' "${problems[@]}" | sed 's/; $//')"; fi

mkdir -p "$SCRIPT_DIR/results"
REPORT="$SCRIPT_DIR/results/database-restart-test-$(date -u +%Y%m%dT%H%M%SZ).md"
{
    echo "## points-ledger database restart test: PostgreSQL restarted, then crashed, under an earn load"
    echo
    echo "| check | result |"
    echo "|---|---|"
    echo "| earn requests sent (attempts) | $attempts for $keys keys in ${load_seconds} s by $WORKERS curl workers; $retried_keys keys sent more than once |"
    echo "| requests by status | $statuses_text |"
    echo "| **answers 500** | **$status_500** |"
    echo "| answers 503 without Retry-After | $without_retry_after (Retry-After: ${retry_after_values:-none}) |"
    echo "| no HTTP answer | $no_answer${no_answer_text:+ ($no_answer_text)} |"
    echo "| acknowledged earns (201 with a transactionId) | $acked during the load ($acked_before_restart before the restart, $acked_before_crash before the crash); $final_201 of the $unsettled keys still unsettled at the end answered 201 when sent once more |"
    echo "| acknowledged earns in the ledger | $found of $acked_all_unique; the EARN of their key: $matching |"
    echo "| keys with a transfer | $run_keys of $keys (transfers of the run: $run_transfers) |"
    echo "| **keys applied twice** | **$duplicates** |"
    echo "| reconciliation (GET /v1/admin/reconciliation) | mismatchCount ${mismatch_count:-?} of ${members_checked:-?} members |"
    echo "| readiness during the restart (-m fast) | $restart_readiness |"
    echo "| readiness during the crash (-m immediate, ${DOWN_SECONDS} s down) | $crash_readiness |"
    echo "| readiness after | UP ${up_after_seconds} s after PostgreSQL was back; last sample $last_readiness; DOWN ${down_seconds_total} s in all; service restarted: no (pid $SERVICE_PID alive: $service_alive) |"
    echo "| **'Result is already complete' in the service log** | **$already_complete** |"
    echo "| 'Uncaught exception' in the service log | $uncaught |"
    echo "| failures logged as 500 | $logged_500 |"
    echo "| verdict | $verdict |"
    echo
    echo "- outage: pg_ctl restart -m fast at ${RESTART_AFTER} s took" \
        "$(awk -v s="$restart_start" -v e="$restart_end" 'BEGIN { printf "%.1f", e - s }') s; pg_ctl stop -m immediate at ${CRASH_AFTER} s," \
        "start ${DOWN_SECONDS} s later, back (with crash recovery) $(awk -v s="$crash_start" -v e="$crash_end" 'BEGIN { printf "%.1f", e - s }') s after the crash"
    echo "- the failures the service answered 503 for (its WARN lines): ${unavailable_logged:-none}"
    echo "- retries: a worker sends a 503'd or unanswered request again with the same Idempotency-Key after" \
        "Retry-After (0.5 s without one), at most $ATTEMPTS_MAX attempts per key; keys still unsettled at the" \
        "deadline are sent once more after the load"
    echo "- the service log was read ${QUIET_SECONDS} s after PostgreSQL came back: Vert.x's pool timer," \
        "which failed a query a second time 30 s after a failed connection attempt, would have fired by then;" \
        "$(grep -cE ' WARN ' "$service_log" || true) WARN lines ($service_log)"
    echo "- readiness samples: GET /q/health/ready every 0.25 s, in $LOAD_DIR/readiness.tsv"
    echo "- reconciliation: $reconciliation"
    echo "- setup: $MEMBERS members seeded with 10000 points each in ${SEED_SECONDS} s; PostgreSQL" \
        "synchronous_commit=on; service, PostgreSQL, Redis and the workers on one machine; no broker"
    echo "- machine: $(nproc) CPUs ($(pl_cpu_model)), $(pl_mem_total) memory; load average (1/5/15 min)" \
        "before the run $LOADAVG_BEFORE, after it $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "- date: $(date -u +%Y-%m-%dT%H:%M:%SZ); git commit: $(pl_commit_text); outcome files: $LOAD_DIR"
} >"$REPORT"
cat "$REPORT"
log "report written to $REPORT"
[[ ${#problems[@]} -eq 0 ]] || die "$verdict"
