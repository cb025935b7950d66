#!/usr/bin/env bash
# -------------------------------------------------------------------------------------------------
# load-tests/benchmark.sh: measures the packaged points-ledger service under load with wrk and
# prints a markdown results table.
#
# It starts its own PostgreSQL (Debian's server binaries, as the postgres user, data dir under the
# work dir) and Redis, builds the service if needed, starts it with `java -jar`, seeds members
# through the API, runs the wrk scenarios in load-tests/wrk/, measures the service's RSS, then
# measures the limits of the same machine next to them (pgbench with the service's own earn SQL,
# the bare Quarkus endpoint GET /q/health/live, redis-benchmark GET) and stops everything it
# started on exit. Everything binds to 127.0.0.1 only. Must run as root (installs Debian packages
# if missing and uses runuser for PostgreSQL). The shared set-up is in load-tests/lib.sh.
#
# Usage:
#   load-tests/benchmark.sh [options]
#
# Options (default in brackets):
#   --members N         members enrolled and seeded with 10000 points each      [1000]
#   --duration S        seconds of each measured run (wrk, pgbench)               [20]
#   --warmup S          seconds of the warm-up run before each measured run (the JIT
#                       compiles for the first minute; C2 takes up to 2/3 of a core),
#                       followed by an ANALYZE so that the measured run plans for the
#                       tables' size                                                    [20]
#   --threads N         wrk threads (-t) for every scenario, pgbench threads (-j) [2]
#   --scenarios LIST    comma-separated subset of earn,redeem,balance,hold,claim,claim-spread,
#                       donate, run in the order given              [earn,redeem,balance,hold]
#   --no-limits         skip the limits (pgbench, bare endpoint, redis-benchmark)
#   --campaigns N       after the scenarios, activate N (at most 100) campaigns, run earn again, report
#                       it next to the runs without them (before and after), and end them        [0]
#   --campaigns-applying K  of those N, K meet every earn (on the earn's SKU: multipliers of 2x and
#                       more, and fixed bonuses, none exclusive); the others name other SKUs, so each
#                       earn evaluates all N and carries K bonuses                         [N: all]
#   --campaign-rounds R with --campaigns: R rounds of an earn run with the campaigns active, then one
#                       with them paused; each run with them is compared with the mean of the runs
#                       without on either side of it, and the report gives every ratio and their
#                       median (on 2 cores, runs without campaigns differ by up to a third)      [1]
#   --report-rounds R   after the scenarios (and campaigns): R rounds of an earn run while two clients
#                       query the reports in a loop (earn and burn, liability, breakage, members,
#                       sales by product and by hour of the week, each awaited), then one without;
#                       each run with them is compared with the mean of the runs without on either
#                       side, and the reports' answers are counted and timed                    [0]
#   --report-pause S    with --report-rounds: each client waits S seconds (decimals allowed) after
#                       each pass over the reports, as a dashboard refreshing every S seconds would;
#                       0: no pause, the clients read as fast as they are answered             [1]
#   --kafka             start a single-node Kafka 4 (KRaft) as a child JVM and connect the service
#                       to it (KAFKA_BOOTSTRAP_SERVERS); without it the service has no broker, its
#                       outbox relay retries with backoff and the events pile up in the outbox
#   --pipeline-report   (implies --kafka unless --in-process) instead of the scenarios and limits:
#                       earn with the event pipeline on, sampling ledger_events_lag, the events
#                       published and each consumer's events applied every second during the run
#                       and after it until every consumer has caught up (at most --drain-timeout),
#                       then earn again with the relay off (-Dpoints-ledger.events.relay-interval=PT1H);
#                       reports max lag, consumer throughput (events/s), time to drain, and earn
#                       req/s on vs off
#   --in-process        with --pipeline-report: no Kafka; the service's channels are bound to its
#                       in-process broker, as in dev mode (an event is acknowledged only once
#                       every consumer has applied it, so the outbox lag is the consumers' lag)
#   --drain-timeout S   longest wait for the outbox to drain (after seeding with --kafka, and
#                       after the earn run of --pipeline-report)                  [300]
#   --port P            HTTP port of the service (-Dquarkus.http.port)            [28090]
#   --management-port P the service's management port (health, metrics; -Dquarkus.management.port)
#                                                                                 [29000]
#   --pg-port P         port of the benchmark's PostgreSQL                        [25432]
#   --redis-port P      port of the benchmark's Redis                             [26379]
#   --kafka-port P      port of the benchmark's Kafka broker (the controller uses P+1) [29092]
#                       Ports: the defaults sit below Linux's ephemeral range (32768-60999), where
#                       a client connection of an earlier run can hold a port; a port given with
#                       its option must be free or the script stops, naming the option; a default
#                       that is taken is replaced by the next free port after it (logged). Each
#                       server's port is probed again just before it starts.
#   --seed-parallelism N  curl processes (keep-alive connections) for seeding     [16]
#   --seed api|sql      how members are seeded: api enrols and earns through the service (every
#                       write path exercised; about 200 members/s here); sql writes the same
#                       ledger state straight into PostgreSQL in one transaction, no events, no
#                       cached balances (for 100 000 and 1 000 000 members)                [api]
#   --build             (re)build the service first: ./mvnw -B -q package -DskipTests
#                       (always done when target/quarkus-app/quarkus-run.jar is missing)
#   --ref REF           measure the committed REF (e.g. HEAD) instead of the working tree: export
#                       it with git archive into the work dir and build it there, leaving the
#                       working tree and its target/ untouched (use it while src/ is being edited)
#   --keep              keep the PostgreSQL data dir (and the --ref build) after the run
#                       (removed by default; logs and wrk outputs are always kept)
#   -h, --help          print this help
#
# Environment:
#   BENCH_WORK_DIR      work dir for the PostgreSQL data, logs, member ids and wrk outputs
#                       [a new /tmp/points-ledger-bench.XXXXXX]
#   BENCH_BUILD_CACHE   with --ref: export and build REF in BENCH_BUILD_CACHE/build-<commit> and
#                       keep it there, so that the next run of the same commit skips the build [none]
#   BENCH_JAVA_OPTS     extra JVM options for the service, e.g. "-Xmx512m"        [none]
#   BENCH_ADMIN_KEY     POINTS_LEDGER_ADMIN_KEY given to the service (needed by builds with API
#                       keys; ignored by builds without; at least 32 characters)  [random, per run]
#   BENCH_AUTH_HEADER   a header "Name: value" sent with every seeding and wrk request
#                       ["Authorization: Bearer $BENCH_ADMIN_KEY"; set it empty to send none]
#
# Scenarios (connections fixed per scenario, as documented in load-tests/README.md):
#   earn     32 connections  POST /v1/members/{id}/earn   (USD 10.00, 2 line items, unique key)
#   redeem   32 connections  POST /v1/members/{id}/redeem (1 point, unique key)
#   balance  64 connections  GET  /v1/members/{id}/balance
#   hold     32 connections  hold+capture pairs, chained per wrk thread (wrk/hold_capture.lua):
#                            POST /v1/members/{id}/holds (1 point, unique key) -> 201 with a holdId,
#                            then POST /v1/holds/{holdId}/capture (no body, unique key) -> 200;
#                            reported as pairs/s (captures per second), latency over all requests
#   claim    32 connections  POST /v1/members/{id}/rewards/{one reward}/claims (1 point, unique key):
#                            every claim takes a unit of the same reward's stock row
#   claim-spread 32 connections  the same over 100 rewards: what the one hot row costs, by comparison
#   donate   32 connections  POST /v1/members/{id}/donations (10 points to one cause with 10 %
#                            matching, unique key): every donation credits the same cause's row
# Limits (after the scenarios and the reconciliation, unless --no-limits):
#   pgbench earn      32 connections  the statements the service's LedgerWriter sends for one earn
#                                     (lock, reads, apply, commit; pgbench/writer-script.sh)
#   pgbench batch      4 connections  the same for 64 earns of distinct members a transaction
#   pgbench update    32 connections  UPDATE member_accounts SET posted = posted + 10, ... : the
#                                     least an earn can write (leaves accounts unreconciled)
#   bare endpoint     64 connections  wrk GET /q/health/live on the management port (wrk/health_live.lua)
#   redis GET         64 connections  redis-benchmark -t get -c 64 -n 200000 -q --csv
#
# Output: the markdown table on stdout (also written to load-tests/results/benchmark-<UTC time>.md,
# or pipeline-<UTC time>.md, a git-ignored folder); progress goes to stderr. Exit status is non-zero
# if any step fails (the table is still printed when non-2xx responses occur; they are reported,
# not fatal).
# -------------------------------------------------------------------------------------------------
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_DIR="$(cd "$SCRIPT_DIR/.." && pwd)"
WRK_DIR="$SCRIPT_DIR/wrk"
PL_NAME=benchmark

MEMBERS=1000
DURATION=20
WARMUP=20
THREADS=2
SCENARIOS="earn,redeem,balance,hold"
LIMITS=1
CAMPAIGNS=0
CAMPAIGNS_APPLYING=""
CAMPAIGN_ROUNDS=1
REPORT_ROUNDS=0
REPORT_PAUSE=1
KAFKA=0
PIPELINE_REPORT=0
IN_PROCESS=0
DRAIN_TIMEOUT=300
PORT=""              # empty: the default of lib.sh, or the next free port
MANAGEMENT_PORT=""
PG_PORT=""
REDIS_PORT=""
KAFKA_PORT=""
SEED_PARALLELISM=16
SEED_METHOD=api
BUILD=0
REF=""
KEEP=0
HOST=127.0.0.1

# shellcheck source=lib.sh
source "$SCRIPT_DIR/lib.sh"

usage() {
    pl_usage "${BASH_SOURCE[0]}"
}

while [[ $# -gt 0 ]]; do
    case "$1" in
        --members) require_number "$1" "${2:-}"; MEMBERS="$2"; shift 2 ;;
        --duration) require_number "$1" "${2:-}"; DURATION="$2"; shift 2 ;;
        --warmup) require_number "$1" "${2:-}"; WARMUP="$2"; shift 2 ;;
        --threads) require_number "$1" "${2:-}"; THREADS="$2"; shift 2 ;;
        --scenarios) SCENARIOS="${2:-}"; shift 2 ;;
        --no-limits) LIMITS=0; shift ;;
        --campaigns-applying) require_number "$1" "${2:-}"; CAMPAIGNS_APPLYING="$2"; shift 2 ;;
        --campaign-rounds) require_number "$1" "${2:-}"; CAMPAIGN_ROUNDS="$2"; shift 2
                     (( CAMPAIGN_ROUNDS >= 1 && CAMPAIGN_ROUNDS <= 10 )) || die "--campaign-rounds: 1 to 10" ;;
        --campaigns) require_number "$1" "${2:-}"; CAMPAIGNS="$2"; shift 2
                     (( CAMPAIGNS <= 100 )) || die "--campaigns: at most 100 (the service's points-ledger.campaigns.active-max)" ;;
        --report-rounds) require_number "$1" "${2:-}"; REPORT_ROUNDS="$2"; shift 2
                     (( REPORT_ROUNDS <= 10 )) || die "--report-rounds: at most 10" ;;
        --report-pause) [[ "${2:-}" =~ ^[0-9]+(\.[0-9]+)?$ ]] || die "--report-pause needs seconds, e.g. 1 or 0.5"
                     REPORT_PAUSE="$2"; shift 2 ;;
        --kafka) KAFKA=1; shift ;;
        --pipeline-report) PIPELINE_REPORT=1; shift ;;
        --in-process) IN_PROCESS=1; shift ;;
        --drain-timeout) require_number "$1" "${2:-}"; DRAIN_TIMEOUT="$2"; shift 2 ;;
        --port) require_number "$1" "${2:-}"; PORT="$2"; shift 2 ;;
        --management-port) require_number "$1" "${2:-}"; MANAGEMENT_PORT="$2"; shift 2 ;;
        --pg-port) require_number "$1" "${2:-}"; PG_PORT="$2"; shift 2 ;;
        --redis-port) require_number "$1" "${2:-}"; REDIS_PORT="$2"; shift 2 ;;
        --kafka-port) require_number "$1" "${2:-}"; KAFKA_PORT="$2"; shift 2 ;;
        --seed-parallelism) require_number "$1" "${2:-}"; SEED_PARALLELISM="$2"; shift 2 ;;
        --seed) [[ "${2:-}" == api || "${2:-}" == sql ]] || die "--seed takes api or sql"; SEED_METHOD="$2"; shift 2 ;;
        --build) BUILD=1; shift ;;
        --ref) [[ -n "${2:-}" ]] || die "--ref needs a commit"; REF="$2"; shift 2 ;;
        --keep) KEEP=1; shift ;;
        -h|--help) usage; exit 0 ;;
        *) usage >&2; die "unknown option '$1'" ;;
    esac
done
[[ $IN_PROCESS -eq 0 || $PIPELINE_REPORT -eq 1 ]] || die "--in-process goes with --pipeline-report"
[[ $IN_PROCESS -eq 0 || $KAFKA -eq 0 ]] || die "--in-process and --kafka exclude each other"
[[ $PIPELINE_REPORT -eq 0 || $IN_PROCESS -eq 1 ]] || KAFKA=1
# The service's event channels, bound to its in-process broker instead of Kafka (the profile's
# own keys, so that they win over the prod profile's Kafka bindings).
IN_PROCESS_OPTIONS=()
if [[ $IN_PROCESS -eq 1 ]]; then
    for channel in outgoing.ledger-events outgoing.notifications incoming.tier-updates \
            incoming.recommendation-updates incoming.member-notifications incoming.campaign-triggers \
            incoming.campaign-tier-triggers incoming.coupon-releases incoming.survey-invitations \
            incoming.webhook-ledger-events incoming.webhook-notifications; do
        IN_PROCESS_OPTIONS+=("-D%prod.mp.messaging.$channel.connector=points-ledger-in-process")
    done
fi

declare -A CONNECTIONS=([earn]=32 [redeem]=32 [balance]=64 [hold]=32 [claim]=32 [claim-spread]=32 [donate]=32 [live]=64)
declare -A SCRIPTS=([earn]=earn.lua [redeem]=redeem.lua [balance]=balance.lua [hold]=hold_capture.lua
                    [claim]=claim.lua [claim-spread]=claim.lua [donate]=donate.lua [live]=health_live.lua)
# The rewards each claim scenario claims, comma-separated (filled in before the scenarios run).
declare -A REWARD_IDS=()
if [[ $PIPELINE_REPORT -eq 1 ]]; then
    SCENARIOS=earn
    LIMITS=0
fi
IFS=',' read -r -a SCENARIO_LIST <<< "$SCENARIOS"
[[ ${#SCENARIO_LIST[@]} -gt 0 ]] || die "--scenarios is empty"
for scenario in "${SCENARIO_LIST[@]}"; do
    [[ -n "${CONNECTIONS[$scenario]:-}" && "$scenario" != live ]] || die "unknown scenario '$scenario' (earn, redeem, balance, hold, claim, claim-spread, donate)"
    (( CONNECTIONS[$scenario] >= THREADS )) || die "--threads $THREADS exceeds the $scenario connections"
done
[[ $(id -u) -eq 0 ]] || die "run as root (installs Debian packages and runs PostgreSQL with runuser)"

# Other work on the machine skews the numbers; the report shows the load average before and after.
LOADAVG_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"

# ------------------------------------------------------------------------------ dependencies
pl_install_missing wrk:wrk redis-server:redis-server redis-benchmark:redis-tools ps:procps curl:curl jq:jq
[[ $LIMITS -eq 0 || -x "$PG_BIN/pgbench" ]] || die "$PG_BIN/pgbench is missing (Debian's postgresql package ships it)"

ports=("service:PORT:--port" "management interface:MANAGEMENT_PORT:--management-port"
       "PostgreSQL:PG_PORT:--pg-port" "Redis:REDIS_PORT:--redis-port")
[[ $KAFKA -eq 0 ]] || ports+=("Kafka broker and controller:KAFKA_PORT:--kafka-port:2")
pl_resolve_ports "${ports[@]}"
[[ $KAFKA -eq 0 ]] || KAFKA_CONTROLLER_PORT=$(( KAFKA_PORT + 1 ))

# ------------------------------------------------------------------------------ work dir, cleanup
pl_make_work_dir points-ledger-bench
SERVICE_LOG="$WORK_DIR/service.log"
RUN_ID="$(date -u +%Y%m%d%H%M%S)-$$"
SAMPLER_PID=""

cleanup_hook() {
    if [[ -n "$SAMPLER_PID" ]] && kill -0 "$SAMPLER_PID" 2>/dev/null; then
        kill -TERM "$SAMPLER_PID" 2>/dev/null
        wait "$SAMPLER_PID" 2>/dev/null
    fi
}
pl_install_traps

# ------------------------------------------------------------------------------ PostgreSQL, Redis, build, Kafka, service
pl_start_postgres
pl_start_redis
pl_build
[[ $KAFKA -eq 0 ]] || pl_start_kafka
pl_start_service "$SERVICE_LOG" "${IN_PROCESS_OPTIONS[@]}"

# ------------------------------------------------------------------------------ seeding
if [[ "$SEED_METHOD" == sql ]]; then
    pl_seed_members_sql "$MEMBERS"
else
    pl_seed_members "$MEMBERS"
fi
seed_seconds="$SEED_SECONDS"
# Statistics for the seeded tables before the first scenario, as a database in service has them:
# without them the first plans of the write functions assume empty tables (autovacuum's analyze
# comes later, at its own pace).
pl_sql "ANALYZE" >/dev/null
pl_auth_args

outbox_rows() {   # unpublished events, counted in PostgreSQL
    pl_sql "SELECT count(*) FROM outbox" 2>/dev/null || echo "?"
}

# wait_until WHAT CHECK: runs CHECK every second, at most DRAIN_TIMEOUT s, until it answers 0;
# CHECK leaves what it saw in WAIT_SEEN. Answers 0 when it did, 1 at the deadline.
wait_until() {
    local what="$1" check="$2" deadline=$(( $(date +%s) + DRAIN_TIMEOUT ))
    log "waiting for $what (at most ${DRAIN_TIMEOUT}s)"
    while :; do
        if "$check"; then log "  $WAIT_SEEN"; return 0; fi
        if (( $(date +%s) >= deadline )); then log "  not there after ${DRAIN_TIMEOUT}s: $WAIT_SEEN"; return 1; fi
        sleep 1
    done
}

consumers_caught_up_now() {   # both consumers have applied every ledger event the broker acknowledged
    local metrics published tiers recommendations
    metrics="$(curl -s --max-time 2 "$MANAGEMENT_URL/q/metrics" 2>/dev/null || true)"
    published="$(labelled_metric "$metrics" ledger_events_published_total 'channel="ledger-events"')"
    tiers="$(labelled_metric "$metrics" ledger_events_consumed_total 'consumer="tier-updates"')"
    recommendations="$(labelled_metric "$metrics" ledger_events_consumed_total 'consumer="recommendation-updates"')"
    WAIT_SEEN="published ${published:-?}, applied by tiers ${tiers:-?}, by recommendations ${recommendations:-?}"
    awk -v p="${published:-x}" -v t="${tiers:-0}" -v r="${recommendations:-0}" \
        'BEGIN { exit !(p ~ /^[0-9.E]+$/ && t + 0 >= p + 0 && r + 0 >= p + 0) }'
}

outbox_drained_now() {   # the outbox is empty and the ledger_events_lag gauge (measured every second) shows it
    local rows lag
    rows="$(outbox_rows)"
    lag="$(pl_metric ledger_events_lag)"
    WAIT_SEEN="outbox $rows rows, ledger_events_lag ${lag:-?}"
    [[ "$rows" == "0" ]] && awk -v l="${lag:-x}" 'BEGIN { exit !(l ~ /^[0-9.]+$/ && l + 0 == 0) }'
}

wait_for_consumers() {   # wait_for_consumers WHAT
    wait_until "the consumers to catch up ($1)" consumers_caught_up_now
}

wait_for_drain() {   # wait_for_drain WHAT
    wait_until "the outbox to drain ($1)" outbox_drained_now
}
if [[ $KAFKA -eq 1 || $IN_PROCESS -eq 1 ]]; then
    wait_for_drain "the seeding's events" || true
fi

# ------------------------------------------------------------------------------ wrk
run_wrk() {   # scenario phase seconds -> prints the BENCH_RESULT line
    local scenario="$1" phase="$2" seconds="$3"
    local connections="${CONNECTIONS[$scenario]}"
    local out="$WORK_DIR/wrk-$scenario-$phase.txt" url="$BASE_URL"
    [[ "$scenario" != live ]] || url="$MANAGEMENT_URL"   # health answers on the management port
    BENCH_WRK_DIR="$WRK_DIR" BENCH_MEMBERS_FILE="$MEMBERS_FILE" BENCH_RUN_ID="$RUN_ID" \
    BENCH_PHASE="$phase" BENCH_CONNECTIONS="$connections" BENCH_AUTH_HEADER="${BENCH_AUTH_HEADER:-}" \
    BENCH_REWARD_IDS="${REWARD_IDS[$scenario]:-}" BENCH_CAUSE_ID="${BENCH_CAUSE_ID:-}" \
        wrk -t"$THREADS" -c"$connections" -d"${seconds}s" --timeout 10s \
        -s "$WRK_DIR/${SCRIPTS[$scenario]}" "$url" >"$out" 2>&1 \
        || { cat "$out" >&2; die "wrk failed for $scenario ($phase)"; }
    grep '^BENCH_RESULT ' "$out" | tail -n 1 | grep . \
        || { cat "$out" >&2; die "no BENCH_RESULT line from wrk for $scenario ($phase)"; }
}

field() {   # field NAME LINE -> value of NAME=value in a BENCH_RESULT line
    local name="$1" line="$2" token
    for token in $line; do
        if [[ "$token" == "$name="* ]]; then echo "${token#*=}"; return 0; fi
    done
    echo "?"
}

non2xx_text() {   # non2xx_text LINE -> "0", or the non-2xx total and its statuses: "12 (409:2, 422:10)"
    local line="$1" total
    total="$(field non2xx "$line")"
    if [[ "$total" == "0" || "$total" == "?" ]]; then echo "$total"; return 0; fi
    echo "$total ($(field statuses "$line" | tr ',' '\n' | awk -F: '$1 < 200 || $1 > 299' | paste -sd, - | sed 's/,/, /g'))"
}

pairs_text() {   # pairs_text SCENARIO LINE -> pairs per second (captures/s) for hold, "-" otherwise
    if [[ "$1" == "hold" ]]; then field captures_per_s "$2"; else echo "-"; fi
}

ratio() {   # ratio A B -> A / B with 2 decimals, or "?" when either is not a positive number
    awk -v a="$1" -v b="$2" 'BEGIN {
        if (a ~ /^[0-9.]+$/ && b ~ /^[0-9.]+$/ && b + 0 > 0) printf "%.2f", a / b; else printf "?" }'
}

batch_snapshot() {   # -> "count sum" of the service's ledger_write_batch_size summary (group commit), or "- -"
    local metrics count sum
    metrics="$(curl -s --max-time 5 "$MANAGEMENT_URL/q/metrics" 2>/dev/null || true)"
    count="$(awk '$1 == "ledger_write_batch_size_count" { print $2; exit }' <<<"$metrics")"
    sum="$(awk '$1 == "ledger_write_batch_size_sum" { print $2; exit }' <<<"$metrics")"
    echo "${count:--} ${sum:--}"
}

# measure_scenario SCENARIO -> the measured BENCH_RESULT line (after a warm-up), with
# "batches=N batch_mean=M" appended: the service's group commits during the measured run
# (ledger_write_batch_size, builds that batch writes; "-" otherwise)
# cpu_snapshot -> "JVM_TICKS PG_TICKS": CPU clock ticks (user + system) the service's JVM and
# PostgreSQL have used so far. PostgreSQL: the postmaster, the backends alive now, and (the
# postmaster's cutime/cstime) every backend that has exited.
cpu_snapshot() {
    local postmaster jvm pg=0 child
    postmaster="$(head -n 1 "$PG_DATA/postmaster.pid" 2>/dev/null || true)"
    jvm="$(awk '{ print $14 + $15 }' "/proc/$SERVICE_PID/stat" 2>/dev/null || echo "-")"
    if [[ -n "$postmaster" ]]; then
        pg="$(awk '{ print $14 + $15 + $16 + $17 }' "/proc/$postmaster/stat" 2>/dev/null || echo 0)"
        for child in $(pgrep -P "$postmaster" || true); do
            pg=$(( pg + $(awk '{ print $14 + $15 }' "/proc/$child/stat" 2>/dev/null || echo 0) ))
        done
    fi
    echo "$jvm $pg"
}

measure_scenario() {
    local scenario="$1" warm line before after cpu_before cpu_after
    log "$scenario: warm-up ${WARMUP}s at ${CONNECTIONS[$scenario]} connections"
    warm="$(run_wrk "$scenario" warmup "$WARMUP")"
    log "  warm-up: $(field rps "$warm") req/s, statuses $(field statuses "$warm")$(
        [[ "$scenario" != "hold" ]] || echo ", $(field captures_per_s "$warm") pairs/s")"
    # Statistics for the tables as the warm-up left them. The service's statements are prepared
    # once and run on generic plans; one planned while a table was a tenth of its size (idempotency
    # keys, lots and holds grow by tens of thousands of rows a run) joins by scanning it, on every
    # batch, until autovacuum's analyze replans it, a minute or two later, in or out of the
    # measured run: earn measured at a third of its rate, with 4 times the PostgreSQL CPU, in 3 of
    # 12 runs before this. A database in service has statistics for its size.
    pl_sql "ANALYZE" >/dev/null
    log "$scenario: measuring ${DURATION}s at ${CONNECTIONS[$scenario]} connections"
    before="$(batch_snapshot)"
    cpu_before="$(cpu_snapshot)"
    line="$(run_wrk "$scenario" measure "$DURATION")"
    cpu_after="$(cpu_snapshot)"
    after="$(batch_snapshot)"
    echo "$line $(awk -v b="$before" -v a="$after" 'BEGIN { split(b, x, " "); split(a, y, " ")
        n = y[1] - x[1]; w = y[2] - x[2]
        if (x[1] == "-" || y[1] == "-" || n <= 0) print "batches=- batch_mean=-"
        else printf "batches=%d batch_mean=%.1f", n, w / n }') $(
        awk -v b="$cpu_before" -v a="$cpu_after" -v requests="$(field requests "$line")" -v hz="$(getconf CLK_TCK)" 'BEGIN {
            split(b, x, " "); split(a, y, " ")
            if (x[1] == "-" || y[1] == "-" || requests + 0 <= 0) { print "jvm_cpu_us=- pg_cpu_us=-"; exit }
            printf "jvm_cpu_us=%.0f pg_cpu_us=%.0f", (y[1] - x[1]) * 1e6 / hz / requests, (y[2] - x[2]) * 1e6 / hz / requests }')"
}

software_line() {
    local java_version pg_version redis_version wrk_version
    java_version="$(java -version 2>&1 | awk 'NR == 1' || true)"
    pg_version="$("$PG_BIN/postgres" --version)"
    redis_version="$(redis-server --version | awk '{ print $3 }')"
    wrk_version="$(wrk -v 2>&1 | awk 'NR == 1 { print $2 }' || true)"
    echo "$java_version; $pg_version (synchronous_commit=on, shared_buffers=256MB," \
        "max_connections=200); Redis $redis_version; wrk $wrk_version$(
        [[ $KAFKA -eq 0 ]] || echo "; Kafka $(basename "$(tr ':' '\n' <<<"$KAFKA_CLASSPATH" | grep -m1 '/kafka_2.13-')" .jar) (KRaft, one node, child JVM -Xmx512m)")"
}

# ------------------------------------------------------------------------------ pipeline report
# sample_pipeline CSV: every second, appends "epoch_s,ledger_events_lag,ledger_events_lag_seconds,
# outbox_rows,published,tier_applied,recommendation_applied" to CSV until killed (at most 3600
# samples): published counts the ledger events the broker acknowledged, *_applied the events each
# consumer applied (both since the service started). Runs in the background.
sample_pipeline() {
    local csv="$1" metrics lag lag_seconds rows published tiers recommendations
    for _ in $(seq 1 3600); do
        metrics="$(curl -s --max-time 2 "$MANAGEMENT_URL/q/metrics" 2>/dev/null || true)"
        lag="$(awk '$1 == "ledger_events_lag" { print $2; exit }' <<<"$metrics")"
        lag_seconds="$(awk '$1 == "ledger_events_lag_seconds" { print $2; exit }' <<<"$metrics")"
        published="$(labelled_metric "$metrics" ledger_events_published_total 'channel="ledger-events"')"
        tiers="$(labelled_metric "$metrics" ledger_events_consumed_total 'consumer="tier-updates"')"
        recommendations="$(labelled_metric "$metrics" ledger_events_consumed_total 'consumer="recommendation-updates"')"
        rows="$(timeout 5 "${PSQL[@]}" -A -t -c "SELECT count(*) FROM outbox" 2>/dev/null || echo "")"
        echo "$(date +%s.%N),${lag:-},${lag_seconds:-},${rows:-},${published:-},${tiers:-},${recommendations:-}" >>"$csv"
        sleep 1
    done
}

labelled_metric() {   # labelled_metric METRICS NAME LABEL -> the value of NAME{...LABEL...}, or empty
    awk -v n="$2" -v l="$3" 'index($1, n "{") == 1 && index($1, l) > 0 { print $NF; exit }' <<<"$1"
}

# consumers_caught_up CSV AFTER_EPOCH -> seconds from AFTER_EPOCH to the first sample after it
# where the outbox is empty and both consumers have applied every published ledger event; empty
# when there is none
consumers_caught_up() {
    awk -F, -v t="$2" '$1 >= t && $4 != "" && $4 + 0 == 0 && $5 != "" && $6 + 0 >= $5 + 0 && $7 + 0 >= $5 + 0 {
        printf "%.1f", $1 - t; found = 1; exit } END { if (!found) printf "" }' "$1"
}

# consumer_rate CSV COLUMN START END -> events/s applied between the first and the last sample
# within [START, END] (a consumer's throughput during the measured run)
consumer_rate() {
    awk -F, -v c="$2" -v s="$3" -v e="$4" '$1 >= s && $1 <= e && $c != "" { if (t0 == "") { t0 = $1; v0 = $c } t1 = $1; v1 = $c }
        END { if (t1 > t0) printf "%.0f", (v1 - v0) / (t1 - t0); else printf "?" }' "$1"
}

start_sampler() {   # start_sampler CSV
    : >"$1"
    sample_pipeline "$1" &
    SAMPLER_PID=$!
}

stop_sampler() {
    if [[ -n "$SAMPLER_PID" ]]; then
        kill -TERM "$SAMPLER_PID" 2>/dev/null || true
        wait "$SAMPLER_PID" 2>/dev/null || true
        SAMPLER_PID=""
    fi
}

# first_zero CSV COLUMN AFTER_EPOCH -> seconds from AFTER_EPOCH to the first sample after it whose
# COLUMN (2 = gauge, 4 = outbox rows) is 0; empty when there is none
first_zero() {
    awk -F, -v c="$2" -v t="$3" '$1 >= t && $c != "" && $c + 0 == 0 { printf "%.1f", $1 - t; found = 1; exit }
        END { if (!found) printf "" }' "$1"
}

column_max() {   # column_max CSV COLUMN -> the largest value (integer)
    awk -F, -v c="$2" '$c != "" && $c + 0 > m { m = $c + 0 } END { printf "%d", m }' "$1"
}

if [[ $PIPELINE_REPORT -eq 1 ]]; then
    # Pipeline on: the prod service publishing to Kafka, the tier consumer reading it back. Both
    # runs start from a freshly started service (then a warm-up), so that they compare alike.
    pl_stop_service
    SERVICE_LOG_ON="$WORK_DIR/service-relay-on.log"
    pl_start_service "$SERVICE_LOG_ON" "${IN_PROCESS_OPTIONS[@]}"
    log "pipeline on: earn with the outbox relay publishing to ${KAFKA_BOOTSTRAP:-the in-process broker}"
    ON_WARM="$(run_wrk earn warmup "$WARMUP")"
    log "  warm-up: $(field rps "$ON_WARM") req/s"
    pl_sql "ANALYZE" >/dev/null   # statistics as the warm-up left them (see measure_scenario)
    wait_for_drain "the warm-up's events" || true
    wait_for_consumers "the warm-up's events" || true
    ON_CSV="$WORK_DIR/pipeline-on-lag.csv"
    start_sampler "$ON_CSV"
    sleep 1
    log "pipeline on: measuring earn ${DURATION}s at ${CONNECTIONS[earn]} connections, sampling ledger_events_lag every second"
    on_start=$(date +%s.%N)
    on_batches_before="$(batch_snapshot)"
    ON_RESULT="$(run_wrk earn measure "$DURATION")"
    on_end=$(date +%s.%N)
    on_batches_after="$(batch_snapshot)"
    log "  ${ON_RESULT#BENCH_RESULT }"
    if wait_for_drain "after the earn run"; then drained=1; else drained=0; fi
    wait_for_consumers "after the earn run" || drained=0
    sleep 2   # one more measurement of the gauge (every second), so that the CSV shows it at 0
    stop_sampler
    tier_rate="$(consumer_rate "$ON_CSV" 6 "$on_start" "$on_end")"
    recommendation_rate="$(consumer_rate "$ON_CSV" 7 "$on_start" "$on_end")"
    drain_consumers="$(consumers_caught_up "$ON_CSV" "$on_end")"
    on_max_lag="$(column_max "$ON_CSV" 2)"
    on_max_rows="$(column_max "$ON_CSV" 4)"
    on_max_age="$(awk -F, '$3 != "" && $3 + 0 > m { m = $3 + 0 } END { printf "%.1f", m }' "$ON_CSV")"
    drain_gauge="$(first_zero "$ON_CSV" 2 "$on_end")"
    drain_rows="$(first_zero "$ON_CSV" 4 "$on_end")"
    on_reconciliation="$(curl -sS --max-time 60 "${AUTH_ARGS[@]}" "$BASE_URL/v1/admin/reconciliation" 2>&1 || true)"
    on_problems=$(grep -cE '(ERROR|SEVERE|Exception)' "$SERVICE_LOG_ON" || true)
    on_warnings=$(grep -cE '^[0-9-]+ [0-9:,]+ WARN ' "$SERVICE_LOG_ON" || true)

    # Pipeline off: the same service and broker, the relay's interval one hour (depending on the
    # build it runs once at start, on an empty outbox, or first after the interval; never during
    # the run): earns commit their outbox rows and nothing publishes or consumes them.
    pl_stop_service
    SERVICE_LOG_OFF="$WORK_DIR/service-relay-off.log"
    pl_start_service "$SERVICE_LOG_OFF" "${IN_PROCESS_OPTIONS[@]}" -Dpoints-ledger.events.relay-interval=PT1H
    log "pipeline off: earn with -Dpoints-ledger.events.relay-interval=PT1H"
    OFF_WARM="$(run_wrk earn warmup "$WARMUP")"
    log "  warm-up: $(field rps "$OFF_WARM") req/s"
    pl_sql "ANALYZE" >/dev/null   # statistics as the warm-up left them (see measure_scenario)
    OFF_CSV="$WORK_DIR/pipeline-off-lag.csv"
    start_sampler "$OFF_CSV"
    sleep 1
    log "pipeline off: measuring earn ${DURATION}s at ${CONNECTIONS[earn]} connections"
    off_batches_before="$(batch_snapshot)"
    OFF_RESULT="$(run_wrk earn measure "$DURATION")"
    off_batches_after="$(batch_snapshot)"
    log "  ${OFF_RESULT#BENCH_RESULT }"
    sleep 6
    stop_sampler
    off_max_lag="$(column_max "$OFF_CSV" 2)"
    off_rows_end="$(outbox_rows)"
    off_problems=$(grep -cE '(ERROR|SEVERE|Exception)' "$SERVICE_LOG_OFF" || true)
    off_warnings=$(grep -cE '^[0-9-]+ [0-9:,]+ WARN ' "$SERVICE_LOG_OFF" || true)

    batch_text() {   # batch_text BEFORE AFTER -> "N batches, M writes per batch" or empty
        awk -v b="$1" -v a="$2" 'BEGIN { split(b, x, " "); split(a, y, " "); n = y[1] - x[1]
            if (x[1] != "-" && y[1] != "-" && n > 0) printf "group commit: %d batches, %.1f writes per batch", n, (y[2] - x[2]) / n }'
    }
    on_batch_text="$(batch_text "$on_batches_before" "$on_batches_after")"
    # The relay's throughput, from the outbox rows counted in PostgreSQL: during the run, the earn
    # rate minus the outbox's growth between the first and the last sample of the run; after it,
    # the rows at the first sample after the run over the time until the outbox was empty.
    relay_during="$(awk -F, -v s="$on_start" -v e="$on_end" -v rps="$(field rps "$ON_RESULT")" '
        $1 >= s && $1 <= e && $4 != "" { if (t0 == "") { t0 = $1; r0 = $4 } t1 = $1; r1 = $4 }
        END { if (t1 > t0) printf "%.0f", rps - (r1 - r0) / (t1 - t0) }' "$ON_CSV")"
    relay_after="$(awk -F, -v e="$on_end" '
        $1 >= e && $4 != "" { if (t0 == "") { t0 = $1; r0 = $4 }
            if ($4 + 0 == 0) {
                if (r0 + 0 == 0) printf "nothing left to publish at the first sample after the run"
                else printf "%.0f events/s (%d rows in %.1f s)", r0 / ($1 - t0), r0, $1 - t0
                exit } }' "$ON_CSV")"
    off_batch_text="$(batch_text "$off_batches_before" "$off_batches_after")"
    # A timeline: one sample in five, seconds from the start of the measured earn run.
    timeline="$(awk -F, -v t="$on_start" -v e="$on_end" '
        (NR - 1) % 5 == 0 { printf "%s%+.0fs%s: %s/%s", sep, $1 - t, ($1 > e ? " (after)" : ""), ($2 == "" ? "?" : $2 + 0), ($4 == "" ? "?" : $4); sep = ", " }' "$ON_CSV")"

    mkdir -p "$SCRIPT_DIR/results"
    REPORT="$SCRIPT_DIR/results/pipeline-$(date -u +%Y%m%dT%H%M%SZ).md"
    {
        echo "## points-ledger event pipeline: earn with $( [[ $IN_PROCESS -eq 1 ]] && echo "the in-process broker" || echo Kafka )"
        echo
        echo "| earn run (32 connections) | req/s | p50 ms | p99 ms | non-2xx | max ledger_events_lag | drain after load stop |"
        echo "|---|---:|---:|---:|---:|---:|---|"
        printf '| pipeline on (relay-interval PT0.2S, the default; %s; tier and recommendation consumers) | %s | %s | %s | %s | %s | %s |\n' \
            "$( [[ $IN_PROCESS -eq 1 ]] && echo "in-process broker" || echo Kafka )" \
            "$(field rps "$ON_RESULT")" "$(field p50_ms "$ON_RESULT")" "$(field p99_ms "$ON_RESULT")" \
            "$(non2xx_text "$ON_RESULT")" "$on_max_lag" \
            "$( if [[ $drained -eq 1 ]]; then echo "${drain_gauge:-?} s (gauge); outbox empty after ${drain_rows:-?} s"; else echo "not drained within ${DRAIN_TIMEOUT} s"; fi )"
        printf '| pipeline off (relay-interval PT1H) | %s | %s | %s | %s | %s | never (%s events left in the outbox) |\n' \
            "$(field rps "$OFF_RESULT")" "$(field p50_ms "$OFF_RESULT")" "$(field p99_ms "$OFF_RESULT")" \
            "$(non2xx_text "$OFF_RESULT")" "$off_max_lag" "$off_rows_end"
        echo
        echo "- earn req/s with the pipeline on ÷ off: $(ratio "$(field rps "$ON_RESULT")" "$(field rps "$OFF_RESULT")")"
        echo "- consumer throughput during the measured run (events applied per second, ledger_events_consumed_total):" \
            "tiers ${tier_rate:-?}, recommendations ${recommendation_rate:-?}; both consumers had applied every published" \
            "event ${drain_consumers:-?} s after the load stopped (first sample with the outbox empty and each consumer's" \
            "count at or above ledger_events_published_total{channel=\"ledger-events\"})"
        echo "- max ledger_events_lag: the largest value of the gauge (outbox rows not yet acknowledged by the" \
            "broker; the service measures it every second) sampled every second from the start of the measured run" \
            "until the outbox drained; counted directly in PostgreSQL at the same moments, the outbox peaked at" \
            "$on_max_rows rows; the oldest unpublished event was at most $on_max_age s old (ledger_events_lag_seconds)"
        echo "- drain after load stop: seconds from the end of the measured wrk run to the first sample of the gauge" \
            "at 0 (so up to a second late by its measurement), and to the first sample of SELECT count(*) FROM outbox at 0"
        echo "- gauge/outbox rows every 5 s of the pipeline-on run (seconds from its start, \"after\": load stopped):" \
            "$timeline"
        echo "- relay throughput (outbox rows in PostgreSQL): during the run about ${relay_during:-?} events/s" \
            "(earn req/s minus the outbox's growth per second), after it ${relay_after:-?}" \
            "(points-ledger.events.relay-batch-size is 500 events per relay run)"
        if grep -q 'every() value less than 1000 ms is not supported' "$SERVICE_LOG_ON"; then
            echo "- note: the service logs at start (WARN, Quarkus SimpleScheduler): \"$(grep -m1 -o 'An every() value less than 1000 ms.*' "$SERVICE_LOG_ON")\""
        fi
        echo "- pipeline on: $(field requests "$ON_RESULT") requests in $(field duration_s "$ON_RESULT") s, statuses" \
            "$(field statuses "$ON_RESULT"), socket errors connect/read/write/timeout" \
            "$(field connect_errors "$ON_RESULT")/$(field read_errors "$ON_RESULT")/$(field write_errors "$ON_RESULT")/$(field timeouts "$ON_RESULT");" \
            "${on_batch_text:+$on_batch_text;}" \
            "reconciliation after it: $on_reconciliation; service log: $on_problems ERROR/SEVERE/Exception," \
            "$on_warnings WARN lines ($SERVICE_LOG_ON)"
        echo "- pipeline off: $(field requests "$OFF_RESULT") requests in $(field duration_s "$OFF_RESULT") s, statuses" \
            "$(field statuses "$OFF_RESULT");${off_batch_text:+ $off_batch_text;} the service restarted with -Dpoints-ledger.events.relay-interval=PT1H," \
            "the broker still up, so the only difference is the relay publishing (and the consumers applying what" \
            "it publishes); service log: $off_problems ERROR/SEVERE/Exception, $off_warnings WARN lines ($SERVICE_LOG_OFF)"
        echo "- setup: $MEMBERS members seeded with 10000 points each in ${seed_seconds} s (--seed $SEED_METHOD; events drained before" \
            "the runs); each run on a freshly started service (on first, then off): wrk -t$THREADS, ${WARMUP} s" \
            "warm-up (for \"on\" followed by a wait for the outbox to drain) then ${DURATION} s measured;" \
            "service, PostgreSQL, Redis,$( [[ $IN_PROCESS -eq 1 ]] || echo " Kafka") and wrk on the same machine; samples: $ON_CSV, $OFF_CSV"
        echo "- machine: $(nproc) CPUs ($(pl_cpu_model)), $(pl_mem_total) memory; load average (1/5/15 min)" \
            "before the run $LOADAVG_BEFORE, after it $(cut -d' ' -f1-3 /proc/loadavg)"
        echo "- software: $(software_line)"
        echo "- date: $(date -u +%Y-%m-%dT%H:%M:%SZ); git commit: $(pl_commit_text); jar built $(date -u -r "$JAR" +%Y-%m-%dT%H:%M:%SZ)"
    } >"$REPORT"
    cat "$REPORT"
    log "report written to $REPORT"
    exit 0
fi

# ------------------------------------------------------------------------------ wrk scenarios
# The one popular reward every claim contends for (claim-spread: 100 of them), and the one cause
# every donation credits.
create_rewards() {   # create_rewards COUNT -> their ids, comma-separated
    local ids="" index id
    for (( index = 0; index < $1; index++ )); do
        id="$(curl -sS --fail --max-time 10 "${AUTH_ARGS[@]}" -H 'Content-Type: application/json' \
            -d '{"kind":"PRODUCT","name":"Benchmark tote","points":1,"stock":1000000000}' \
            "$BASE_URL/v1/admin/rewards" | jq -r .rewardId)" || return 1
        ids="${ids:+$ids,}$id"
    done
    echo "$ids"
}
for scenario in "${SCENARIO_LIST[@]}"; do
    if [[ "$scenario" == claim ]]; then
        REWARD_IDS[claim]="$(create_rewards 1)" || die "could not create the benchmark's reward"
        log "claim: every claim takes a unit of reward ${REWARD_IDS[claim]}"
    elif [[ "$scenario" == claim-spread ]]; then
        REWARD_IDS[claim-spread]="$(create_rewards 100)" || die "could not create the benchmark's rewards"
        log "claim-spread: each claim takes a unit of one of 100 rewards"
    elif [[ "$scenario" == donate && -z "${BENCH_CAUSE_ID:-}" ]]; then
        BENCH_CAUSE_ID="$(curl -sS --fail --max-time 10 "${AUTH_ARGS[@]}" -H 'Content-Type: application/json' \
            -d '{"name":"Benchmark appeal","matching":{"rateBasisPoints":1000,"budgetPoints":1000000000000}}' \
            "$BASE_URL/v1/admin/causes" | jq -r .causeId)" || die "could not create the benchmark's cause"
        log "donate: every donation credits cause $BENCH_CAUSE_ID"
    fi
done
declare -A RESULTS=()
for scenario in "${SCENARIO_LIST[@]}"; do
    RESULTS[$scenario]="$(measure_scenario "$scenario")"
    log "  ${RESULTS[$scenario]#BENCH_RESULT }"
done

# activate_campaigns N K: N active campaigns, K of which every benchmark earn meets (its items are
# SKU-1, its 10 points doubled or more by each multiplier, or a fixed point added), the others on
# SKUs no earn has; sets CAMPAIGN_IDS.
CAMPAIGN_IDS=()
activate_campaigns() {
    local count="$1" applying="$2" index body campaign_id sku
    for (( index = 1; index <= count; index++ )); do
        sku="SKU-1"
        (( index <= applying )) || sku="SKU-NONE-$index"
        if (( index % 2 )); then
            body='{"name":"Bench '"$index"'","trigger":"PURCHASE","priority":'"$index"',"conditions":{"skus":["'"$sku"'"]},"effect":{"multiplierBasisPoints":'"$(( 20000 + index ))"'}}'
        else
            body='{"name":"Bench '"$index"'","trigger":"PURCHASE","priority":'"$index"',"conditions":{"skus":["'"$sku"'"],"channels":["POS"]},"effect":{"bonusPoints":1}}'
        fi
        campaign_id="$(curl -sS --fail --max-time 10 "${AUTH_ARGS[@]}" -H 'Content-Type: application/json' -d "$body" \
            "$BASE_URL/v1/admin/campaigns" | sed -E 's/.*"campaignId":"([^"]+)".*/\1/')"
        curl -sS --fail --max-time 10 -o /dev/null "${AUTH_ARGS[@]}" -X POST "$BASE_URL/v1/admin/campaigns/$campaign_id/activate" \
            || die "campaign $index was not activated"
        CAMPAIGN_IDS+=("$campaign_id")
    done
    log "$count campaigns active: $(curl -sS --max-time 10 "${AUTH_ARGS[@]}" "$BASE_URL/v1/admin/campaigns/active" \
        | grep -o '"campaignId"' | wc -l) in the service's copy"
}

# move_campaigns ACTION: activate, pause or end every campaign of CAMPAIGN_IDS.
move_campaigns() {
    local action="$1" campaign_id
    for campaign_id in "${CAMPAIGN_IDS[@]}"; do
        curl -sS --fail --max-time 10 -o /dev/null "${AUTH_ARGS[@]}" -X POST "$BASE_URL/v1/admin/campaigns/$campaign_id/$action" \
            || log "campaign $campaign_id: $action refused"
    done
}

# Rounds of earn with the campaigns, then without (paused): the tables grow from run to run and the
# JIT keeps compiling, so each run with them is compared with the mean of the runs on either side.
CAMPAIGN_RESULTS=()
WITHOUT_CAMPAIGN_RESULTS=()
if (( CAMPAIGNS > 0 )) && [[ -n "${RESULTS[earn]:-}" ]]; then
    WITHOUT_CAMPAIGN_RESULTS+=("${RESULTS[earn]}")
    activate_campaigns "$CAMPAIGNS" "${CAMPAIGNS_APPLYING:-$CAMPAIGNS}"
    for (( round = 1; round <= CAMPAIGN_ROUNDS; round++ )); do
        (( round == 1 )) || move_campaigns activate
        CAMPAIGN_RESULTS+=("$(measure_scenario earn)")
        log "  round $round, with $CAMPAIGNS campaigns: ${CAMPAIGN_RESULTS[-1]#BENCH_RESULT }"
        if (( round < CAMPAIGN_ROUNDS )); then move_campaigns pause; else move_campaigns end; fi
        WITHOUT_CAMPAIGN_RESULTS+=("$(measure_scenario earn)")
        log "  round $round, without them: ${WITHOUT_CAMPAIGN_RESULTS[-1]#BENCH_RESULT }"
    done
fi

# Rounds of earn while the reports are read in a loop, then without: the write path must not feel
# them (they read rollups and the day's transfers through their own index, on pooled connections).
REPORT_PATHS=("/v1/admin/reports/earn-burn" "/v1/admin/reports/liability" "/v1/admin/reports/breakage"
              "/v1/admin/reports/members" "/v1/admin/reports/sales?by=PRODUCT" "/v1/admin/reports/sales?by=WEEKDAY_HOUR")
# query_reports_until STOP-FILE OUT: reads the reports one after another, then waits REPORT_PAUSE
# seconds, until STOP-FILE exists; a line per answer in OUT: the status and the seconds it took. One
# curl reads a pass over one kept-alive connection, as a dashboard would (without a pause, four
# passes): starting a process per request would cost the machine more than answering it does, and
# be measured as the reports' cost.
query_reports_until() {
    local stop="$1" out="$2" path pass passes=1 reads=()
    [[ "$REPORT_PAUSE" != 0 ]] || passes=4
    for (( pass = 0; pass < passes; pass++ )); do
        for path in "${REPORT_PATHS[@]}"; do
            reads+=(-o /dev/null "$BASE_URL$path")
        done
    done
    while [[ ! -e "$stop" ]]; do
        curl -sS --max-time 120 -w '%{http_code} %{time_total}\n' "${AUTH_ARGS[@]}" "${reads[@]}" >> "$out" 2>/dev/null \
            || echo "000 120" >> "$out"
        [[ "$REPORT_PAUSE" == 0 ]] || sleep "$REPORT_PAUSE"
    done
}
REPORT_RESULTS=()
WITHOUT_REPORT_RESULTS=()
REPORT_ANSWERS=()
if (( REPORT_ROUNDS > 0 )) && [[ -n "${RESULTS[earn]:-}" ]]; then
    WITHOUT_REPORT_RESULTS+=("$(measure_scenario earn)")
    for (( round = 1; round <= REPORT_ROUNDS; round++ )); do
        report_stop="$WORK_DIR/reports-stop-$round"
        report_answers="$WORK_DIR/reports-round-$round.log"
        : > "$report_answers"
        query_reports_until "$report_stop" "$report_answers" &
        report_reader_one=$!
        query_reports_until "$report_stop" "$report_answers" &
        report_reader_two=$!
        REPORT_RESULTS+=("$(measure_scenario earn)")
        touch "$report_stop"
        wait "$report_reader_one" "$report_reader_two" 2>/dev/null || true
        REPORT_ANSWERS+=("$(awk '$1 != 200 { refused++ } END { printf "%d answers, %d not 200", NR, refused }' "$report_answers"), $(
            awk '{ print $2 }' "$report_answers" | sort -n | awk '{ v[NR] = $1 } END {
                printf "median %.0f ms, slowest %.0f ms", v[int((NR + 1) / 2)] * 1000, v[NR] * 1000 }')")
        log "  round $round, with reports read: ${REPORT_RESULTS[-1]#BENCH_RESULT }; reports: ${REPORT_ANSWERS[-1]}"
        WITHOUT_REPORT_RESULTS+=("$(measure_scenario earn)")
        log "  round $round, without: ${WITHOUT_REPORT_RESULTS[-1]#BENCH_RESULT }"
    done
fi

# ------------------------------------------------------------------------------ RSS, checks
rss_kb="$(awk '/^VmRSS:/ { print $2 }' "/proc/$SERVICE_PID/status" 2>/dev/null || true)"
[[ -n "$rss_kb" ]] || rss_kb="$(ps -o rss= -p "$SERVICE_PID" | tr -d ' ')"
hwm_kb="$(awk '/^VmHWM:/ { print $2 }' "/proc/$SERVICE_PID/status" 2>/dev/null || echo "?")"
rss_mb=$(awk -v k="$rss_kb" 'BEGIN { printf "%.0f", k / 1024 }')
hwm_mb=$(awk -v k="$hwm_kb" 'BEGIN { printf "%.0f", k / 1024 }')

# Before the limits: the minimal UPDATE of the pgbench limit changes balances without transfers.
reconciliation="$(curl -sS --max-time 60 "${AUTH_ARGS[@]}" "$BASE_URL/v1/admin/reconciliation" 2>&1 || true)"
events_lag="$(pl_metric ledger_events_lag)"
events_rows="$(outbox_rows)"
log_problems=$(grep -cE '(ERROR|SEVERE|Exception)' "$SERVICE_LOG" || true)
log_warnings=$(grep -cE '^[0-9-]+ [0-9:,]+ WARN ' "$SERVICE_LOG" || true)

# ------------------------------------------------------------------------------ limits
# Each limit is a line "LIMIT name=... connections=... rps=... p50_ms=... p99_ms=... errors=...".
declare -A LIMIT_RESULTS=()
LIMIT_NAMES=(pgbench-earn pgbench-batch pgbench-update live redis-get)
BATCH_WRITES=64   # earns per transaction in the pgbench-batch limit: the service's max-size
BATCH_CLIENTS=4   # concurrent batches: about what the service has in flight at its earn peak
declare -A LIMIT_LABELS=(
    [pgbench-earn]="limit: pgbench, the service's write SQL for one earn a transaction"
    [pgbench-batch]="limit: pgbench, the service's write SQL for $BATCH_WRITES earns a transaction (earns/s)"
    [pgbench-update]="limit: pgbench, one UPDATE of the account"
    [live]="limit: bare Quarkus endpoint GET /q/health/live (wrk)"
    [redis-get]="limit: redis-benchmark GET"
)

# run_pgbench NAME SCRIPT PHASE SECONDS [CLIENTS] -> a LIMIT line; 32 clients unless given,
# prepared statements, TCP. The measured run logs every transaction (--log) for p50/p99.
run_pgbench() {
    local name="$1" script="$2" phase="$3" seconds="$4" clients="${5:-32}" out="$WORK_DIR/pgbench-$1-$3.txt"
    local log_args=() prefix="$WORK_DIR/pgbench-$1-$3-log" tps failed p50 p99 status=0
    [[ "$phase" != measure ]] || log_args=(--log --log-prefix="$prefix")
    rm -f -- "$prefix".*
    timeout $(( seconds + 120 )) "$PG_BIN/pgbench" -n -c "$clients" -j "$THREADS" -T "$seconds" -M prepared \
        -f "$script" "${log_args[@]}" -h "$HOST" -p "$PG_PORT" -U postgres postgres >"$out" 2>&1 || status=$?
    tps="$(awk '/^tps = / { printf "%.1f", $3; exit }' "$out")"
    failed="$(awk -F'[: (]+' '/^number of failed transactions/ { print $5; exit }' "$out")"
    if [[ $status -ne 0 ]]; then
        log "  pgbench $name ($phase) exited with status $status; see $out"
        tail -n 5 "$out" >&2
        failed="${failed:-?}_(exit_${status},_see_$(basename "$out"))"
    fi
    p50="?"; p99="?"
    if [[ "$phase" == measure ]] && compgen -G "$prefix.*" >/dev/null; then
        read -r p50 p99 < <(cat "$prefix".* | awk '{ print $3 }' | sort -n | awk '
            { v[NR] = $1 } END { if (NR == 0) { print "? ?"; exit }
              printf "%.2f %.2f\n", v[int(NR * 0.50 + 0.999999)] / 1000, v[int(NR * 0.99 + 0.999999)] / 1000 }')
    fi
    echo "LIMIT name=$name connections=$clients rps=${tps:-?} p50_ms=$p50 p99_ms=$p99 errors=${failed:-?}"
}

if [[ $LIMITS -eq 1 ]]; then
    log "limits: member ids for pgbench (table bench_member_ids)"
    pl_sql "CREATE TABLE IF NOT EXISTS bench_member_ids (idx integer PRIMARY KEY, member_id uuid NOT NULL)" >/dev/null
    pl_sql "TRUNCATE bench_member_ids" >/dev/null
    awk '{ print NR "\t" $1 }' "$MEMBERS_FILE" \
        | timeout 300 "${PSQL[@]}" -c "\\copy bench_member_ids (idx, member_id) FROM pstdin" >/dev/null
    pl_sql "ANALYZE bench_member_ids" >/dev/null
    member_count=$(wc -l <"$MEMBERS_FILE")
    # What the service's LedgerWriter sends for wrk/earn.lua's request (the lot expires today + 12
    # months + 1 day at 00:00 UTC, as the service computes it): one earn per transaction at 32
    # connections, and $BATCH_WRITES per transaction at $BATCH_CLIENTS, as group commit sends them.
    lot_expiry="$(date -u -d '+12 months +1 day' +%Y-%m-%d)"
    pgbench_limits=(pgbench-earn pgbench-batch pgbench-update)
    if ! "$SCRIPT_DIR/pgbench/writer-script.sh" "$BUILD_DIR" 1 "$member_count" "$lot_expiry" >"$WORK_DIR/pgbench-earn.sql" \
            || ! "$SCRIPT_DIR/pgbench/writer-script.sh" "$BUILD_DIR" "$BATCH_WRITES" "$member_count" "$lot_expiry" \
                >"$WORK_DIR/pgbench-batch.sql"; then
        # A commit from before the writer: its write SQL was a function this script no longer drives.
        log "  no LedgerWriteRepository in $BUILD_DIR: the limits of the service's write SQL are skipped"
        pgbench_limits=(pgbench-update)
        LIMIT_RESULTS[pgbench-earn]="LIMIT name=pgbench-earn connections=32 rps=? p50_ms=? p99_ms=? errors=skipped"
        LIMIT_RESULTS[pgbench-batch]="LIMIT name=pgbench-batch connections=$BATCH_CLIENTS rps=? p50_ms=? p99_ms=? errors=skipped"
    fi
    cat >"$WORK_DIR/pgbench-update.sql" <<EOF
\\set i random(1, $member_count)
UPDATE member_accounts SET posted = posted + 10, version = version + 1 WHERE member_id = (SELECT member_id FROM bench_member_ids WHERE idx = :i);
EOF
    for name in "${pgbench_limits[@]}"; do
        clients=32
        [[ "$name" != pgbench-batch ]] || clients=$BATCH_CLIENTS
        log "$name: warm-up ${WARMUP}s at $clients connections"
        warm="$(run_pgbench "$name" "$WORK_DIR/$name.sql" warmup "$WARMUP" "$clients")"
        log "  warm-up: $(field rps "$warm") tx/s"
        pl_sql "ANALYZE" >/dev/null   # statistics as the warm-up left them (see measure_scenario)
        log "$name: measuring ${DURATION}s at $clients connections"
        LIMIT_RESULTS[$name]="$(run_pgbench "$name" "$WORK_DIR/$name.sql" measure "$DURATION" "$clients")"
        log "  ${LIMIT_RESULTS[$name]#LIMIT }"
    done
    # One transaction of pgbench-batch is BATCH_WRITES earns: its req/s column gives earns per second.
    batch_tps="$(field rps "${LIMIT_RESULTS[pgbench-batch]}")"
    batch_eps="$(awk -v t="$batch_tps" -v n="$BATCH_WRITES" 'BEGIN { if (t + 0 > 0) printf "%.1f", t * n; else print "?" }')"
    LIMIT_RESULTS[pgbench-batch]="${LIMIT_RESULTS[pgbench-batch]/rps=$batch_tps /rps=$batch_eps }"

    line="$(measure_scenario live)"
    log "  ${line#BENCH_RESULT }"
    LIMIT_RESULTS[live]="LIMIT name=live connections=64 rps=$(field rps "$line") p50_ms=$(field p50_ms "$line") p99_ms=$(field p99_ms "$line") errors=$(non2xx_text "$line" | tr ' ' '_')"
    LIVE_LINE="$line"

    log "redis-get: redis-benchmark -t get -c 64 -n 200000 -q --csv"
    if timeout 300 redis-benchmark -h "$HOST" -p "$REDIS_PORT" -t get -c 64 -n 200000 -q --csv \
            >"$WORK_DIR/redis-benchmark.csv" 2>"$WORK_DIR/redis-benchmark.err"; then
        LIMIT_RESULTS[redis-get]="$(awk -F'"' '$2 == "GET" { printf "LIMIT name=redis-get connections=64 rps=%.1f p50_ms=%s p99_ms=%s errors=-", $4, $10, $14 }' \
            "$WORK_DIR/redis-benchmark.csv")"
    fi
    [[ -n "${LIMIT_RESULTS[redis-get]:-}" ]] \
        || LIMIT_RESULTS[redis-get]="LIMIT name=redis-get connections=64 rps=? p50_ms=? p99_ms=? errors=failed"
    log "  ${LIMIT_RESULTS[redis-get]#LIMIT }"
fi

# ------------------------------------------------------------------------------ report
jar_built="$(date -u -r "$JAR" +%Y-%m-%dT%H:%M:%SZ)"

vs_limit() {   # vs_limit SCENARIO -> the scenario's req/s as a fraction of its limit, or "-"
    case "$1" in
        earn) echo "$(ratio "$(field rps "${RESULTS[earn]}")" "$(field rps "${LIMIT_RESULTS[pgbench-earn]}")") of pgbench earn" ;;
        balance) echo "$(ratio "$(field rps "${RESULTS[balance]}")" "$(field rps "${LIMIT_RESULTS[live]}")") of the bare endpoint" ;;
        *) echo "-" ;;
    esac
}

mkdir -p "$SCRIPT_DIR/results"
REPORT="$SCRIPT_DIR/results/benchmark-$(date -u +%Y%m%dT%H%M%SZ).md"
{
    echo "## points-ledger benchmark"
    echo
    if [[ $LIMITS -eq 1 ]]; then
        echo "| scenario | connections | req/s | pairs/s | p50 ms | p99 ms | non-2xx | vs limit |"
        echo "|---|---:|---:|---:|---:|---:|---:|---|"
    else
        echo "| scenario | connections | req/s | pairs/s | p50 ms | p99 ms | non-2xx |"
        echo "|---|---:|---:|---:|---:|---:|---:|"
    fi
    for scenario in "${SCENARIO_LIST[@]}"; do
        line="${RESULTS[$scenario]}"
        printf '| %s | %s | %s | %s | %s | %s | %s |' "$scenario" "${CONNECTIONS[$scenario]}" \
            "$(field rps "$line")" "$(pairs_text "$scenario" "$line")" "$(field p50_ms "$line")" \
            "$(field p99_ms "$line")" "$(non2xx_text "$line")"
        if [[ $LIMITS -eq 1 ]]; then printf ' %s |\n' "$(vs_limit "$scenario")"; else printf '\n'; fi
    done
    if [[ $LIMITS -eq 1 ]]; then
        for name in "${LIMIT_NAMES[@]}"; do
            line="${LIMIT_RESULTS[$name]}"
            printf '| %s | %s | %s | - | %s | %s | %s | - |\n' "${LIMIT_LABELS[$name]}" "$(field connections "$line")" \
                "$(field rps "$line")" "$(field p50_ms "$line")" "$(field p99_ms "$line")" "$(field errors "$line" | tr '_' ' ')"
        done
    fi
    echo
    if [[ $LIMITS -eq 1 ]]; then
        echo "- ratios: earn req/s ÷ pgbench earn tx/s (the same SQL, per request, without HTTP, JSON or Redis)" \
            "= $( [[ -n "${RESULTS[earn]:-}" ]] && echo "$(field rps "${RESULTS[earn]}") / $(field rps "${LIMIT_RESULTS[pgbench-earn]}") = $(ratio "$(field rps "${RESULTS[earn]}")" "$(field rps "${LIMIT_RESULTS[pgbench-earn]}")")" || echo "n/a (earn not run)");" \
            "earn req/s ÷ pgbench one-UPDATE tx/s (the per-request one-statement limit)" \
            "= $( [[ -n "${RESULTS[earn]:-}" ]] && echo "$(ratio "$(field rps "${RESULTS[earn]}")" "$(field rps "${LIMIT_RESULTS[pgbench-update]}")")" || echo "n/a");" \
            "earn req/s ÷ pgbench batch earns/s (the database alone, group-committed)" \
            "= $( [[ -n "${RESULTS[earn]:-}" ]] && echo "$(ratio "$(field rps "${RESULTS[earn]}")" "$(field rps "${LIMIT_RESULTS[pgbench-batch]}")")" || echo "n/a");" \
            "balance req/s ÷ bare endpoint req/s" \
            "= $( [[ -n "${RESULTS[balance]:-}" ]] && echo "$(field rps "${RESULTS[balance]}") / $(field rps "${LIMIT_RESULTS[live]}") = $(ratio "$(field rps "${RESULTS[balance]}")" "$(field rps "${LIMIT_RESULTS[live]}")")" || echo "n/a (balance not run)")"
        echo "- limits: pgbench -c 32 -j $THREADS -M prepared -T $DURATION (after a ${WARMUP} s warm-up) over TCP against" \
            "the benchmark's PostgreSQL, the service idle; tx/s in the req/s column, latency per transaction" \
            "from pgbench --log, failed transactions in the non-2xx column. pgbench earn: what the service's" \
            "LedgerWriter sends for one earn of a random seeded member, in one transaction: lock the account," \
            "read the key's stored answer and the lots, the service's own apply statement of typed arrays" \
            "(read from the benchmarked commit's LedgerWriteRepository.java), commit" \
            "(load-tests/pgbench/writer-script.sh; $WORK_DIR/pgbench-earn.sql);" \
            "pgbench batch: the same for $BATCH_WRITES earns of distinct random members a transaction at" \
            "$BATCH_CLIENTS connections, earns/s = tx/s × $BATCH_WRITES, latency per transaction" \
            "($WORK_DIR/pgbench-batch.sql);" \
            "pgbench update: one UPDATE member_accounts SET posted = posted + 10, version = version + 1 of a" \
            "random seeded member (run after the reconciliation: it leaves the accounts unreconciled)." \
            "Bare endpoint: the service has no endpoint that does nothing; GET /q/health/live is the nearest," \
            "a small JSON answer from the same Quarkus build and HTTP server with only an in-memory liveness" \
            "check, no PostgreSQL, no Redis, no authentication; wrk 64 connections, ${WARMUP} s warm-up," \
            "${DURATION} s measured. Redis: redis-benchmark -t get -c 64 -n 200000 -q --csv against the" \
            "benchmark's Redis (p50/p99 from its CSV)"
    fi
    if (( ${#CAMPAIGN_RESULTS[@]} > 0 )); then
        campaign_ratios=()
        for (( round = 0; round < ${#CAMPAIGN_RESULTS[@]}; round++ )); do
            campaign_ratios+=("$(ratio "$(field rps "${CAMPAIGN_RESULTS[round]}")" "$(awk \
                -v a="$(field rps "${WITHOUT_CAMPAIGN_RESULTS[round]}")" \
                -v b="$(field rps "${WITHOUT_CAMPAIGN_RESULTS[round + 1]}")" 'BEGIN { printf "%.1f", (a + b) / 2 }')")")
            echo "- earn round $(( round + 1 )) with $CAMPAIGNS active campaigns, ${CAMPAIGNS_APPLYING:-$CAMPAIGNS} of them" \
                "meeting every earn (after the scenarios, same service): $(field rps "${CAMPAIGN_RESULTS[round]}") req/s," \
                "p50 $(field p50_ms "${CAMPAIGN_RESULTS[round]}") ms, p99 $(field p99_ms "${CAMPAIGN_RESULTS[round]}") ms," \
                "$(non2xx_text "${CAMPAIGN_RESULTS[round]}") non-2xx, CPU per earn: service" \
                "$(field jvm_cpu_us "${CAMPAIGN_RESULTS[round]}") µs, PostgreSQL $(field pg_cpu_us "${CAMPAIGN_RESULTS[round]}") µs;" \
                "without them, before and after: $(field rps "${WITHOUT_CAMPAIGN_RESULTS[round]}") and" \
                "$(field rps "${WITHOUT_CAMPAIGN_RESULTS[round + 1]}") req/s; with them ${campaign_ratios[-1]} of their mean"
        done
        echo "- earn with campaigns ÷ without, per round: ${campaign_ratios[*]}; median" \
            "$(printf '%s\n' "${campaign_ratios[@]}" | sort -n | awk '{ v[NR] = $1 } END {
                if (NR % 2) print v[(NR + 1) / 2]; else printf "%.2f", (v[NR / 2] + v[NR / 2 + 1]) / 2 }')"
    fi
    if (( ${#REPORT_RESULTS[@]} > 0 )); then
        report_ratios=()
        for (( round = 0; round < ${#REPORT_RESULTS[@]}; round++ )); do
            report_ratios+=("$(ratio "$(field rps "${REPORT_RESULTS[round]}")" "$(awk \
                -v a="$(field rps "${WITHOUT_REPORT_RESULTS[round]}")" \
                -v b="$(field rps "${WITHOUT_REPORT_RESULTS[round + 1]}")" 'BEGIN { printf "%.1f", (a + b) / 2 }')")")
            echo "- earn round $(( round + 1 )) while two clients read the reports in a loop (pausing ${REPORT_PAUSE} s after each pass): $(field rps "${REPORT_RESULTS[round]}")" \
                "req/s, p50 $(field p50_ms "${REPORT_RESULTS[round]}") ms, p99 $(field p99_ms "${REPORT_RESULTS[round]}") ms," \
                "$(non2xx_text "${REPORT_RESULTS[round]}") non-2xx; without, before and after:" \
                "$(field rps "${WITHOUT_REPORT_RESULTS[round]}") and $(field rps "${WITHOUT_REPORT_RESULTS[round + 1]}") req/s;" \
                "with them ${report_ratios[-1]} of their mean; reports: ${REPORT_ANSWERS[round]}"
        done
        echo "- earn while reports are read ÷ without, per round: ${report_ratios[*]}"
    fi
    echo "- service RSS after the runs: ${rss_mb} MiB (VmRSS ${rss_kb} kB; peak VmHWM ${hwm_mb} MiB)"
    for scenario in "${SCENARIO_LIST[@]}"; do
        line="${RESULTS[$scenario]}"
        echo "- $scenario: $(field requests "$line") requests in $(field duration_s "$line") s," \
            "statuses $(field statuses "$line"), p90 $(field p90_ms "$line") ms, max $(field max_ms "$line") ms," \
            "socket errors connect/read/write/timeout" \
            "$(field connect_errors "$line")/$(field read_errors "$line")/$(field write_errors "$line")/$(field timeouts "$line")"
        if [[ "$(field batches "$line")" != "-" && "$(field batches "$line")" != "?" ]]; then
            echo "  - group commit: $(field batches "$line") batches during the measured run," \
                "$(field batch_mean "$line") writes per batch on average (ledger_write_batch_size)"
        fi
        echo "  - CPU per request over the measured run: JVM $(field jvm_cpu_us "$line") µs, PostgreSQL" \
            "$(field pg_cpu_us "$line") µs (/proc/<pid>/stat user + system ticks; PostgreSQL: postmaster and backends)"
        if [[ "$scenario" == "hold" ]]; then
            echo "  - hold+capture: $(field holds "$line") holds created (201), $(field captures "$line") captured (200):" \
                "$(field captures_per_s "$line") pairs/s; req/s and latencies count holds and captures alike;" \
                "$(field holds_unparsed "$line") 201 answers without a holdId"
        fi
    done
    if [[ $LIMITS -eq 1 ]]; then
        echo "- bare endpoint: $(field requests "$LIVE_LINE") requests in $(field duration_s "$LIVE_LINE") s," \
            "statuses $(field statuses "$LIVE_LINE"), p90 $(field p90_ms "$LIVE_LINE") ms, max $(field max_ms "$LIVE_LINE") ms"
    fi
    echo "- setup: $MEMBERS members seeded with 10000 points each in ${seed_seconds} s (--seed $SEED_METHOD); wrk -t$THREADS," \
        "${WARMUP} s warm-up then ${DURATION} s measured per scenario; service, PostgreSQL and Redis" \
        "on the same machine as wrk"
    echo "- service readiness (GET /q/health/ready) at start: $SERVICE_READINESS"
    echo "- reconciliation after the runs: $reconciliation"
    if [[ $KAFKA -eq 1 ]]; then
        echo "- events: Kafka at $KAFKA_BOOTSTRAP; after the scenarios ledger_events_lag ${events_lag:-?}, outbox $events_rows rows"
    else
        echo "- events: no broker (run with --kafka for one): the outbox relay retries with backoff and" \
            "the events stay in the outbox: $events_rows rows after the scenarios (ledger_events_lag ${events_lag:-?})"
    fi
    echo "- service log: $log_problems lines matching ERROR/SEVERE/Exception, $log_warnings WARN lines" \
        "($SERVICE_LOG)"
    echo "- machine: $(nproc) CPUs ($(pl_cpu_model)), $(pl_mem_total) memory; load average (1/5/15 min)" \
        "before the run $LOADAVG_BEFORE, after it $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "- software: $(software_line)"
    echo "- date: $(date -u +%Y-%m-%dT%H:%M:%SZ); git commit: $(pl_commit_text); jar built $jar_built"
} >"$REPORT"
cat "$REPORT"
log "report written to $REPORT"
if [[ "$log_problems" -gt 0 || "$log_warnings" -gt 0 ]]; then
    log "the service log has $log_problems ERROR/SEVERE/Exception and $log_warnings WARN lines; first ones:"
    grep -E '(ERROR|SEVERE|Exception| WARN )' "$SERVICE_LOG" | awk 'NR <= 10' >&2 || true
fi
