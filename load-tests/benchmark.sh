#!/usr/bin/env bash
# -------------------------------------------------------------------------------------------------
# load-tests/benchmark.sh: measures the packaged points-ledger service under load with wrk and
# prints a markdown results table.
#
# It starts its own PostgreSQL (Debian's server binaries, as the postgres user, data dir under the
# work dir) and Redis, builds the service if needed, starts it with `java -jar`, seeds members
# through the API, runs the wrk scenarios in load-tests/wrk/, measures the service's RSS and stops
# everything it started on exit. Everything binds to 127.0.0.1 only. Must run as root (installs
# Debian packages if missing and uses runuser for PostgreSQL).
#
# Usage:
#   load-tests/benchmark.sh [options]
#
# Options (default in brackets):
#   --members N         members enrolled and seeded with 10000 points each      [1000]
#   --duration S        seconds of each measured wrk run                          [20]
#   --warmup S          seconds of the warm-up wrk run before each measured run   [5]
#   --threads N         wrk threads (-t) for every scenario                       [2]
#   --scenarios LIST    comma-separated subset of earn,redeem,balance,hold, run in
#                       that order                                  [earn,redeem,balance,hold]
#   --port P            HTTP port of the service (-Dquarkus.http.port); 8090 by
#                       default so that a dev-mode instance on 8080 is left alone [8090]
#   --pg-port P         port of the benchmark's PostgreSQL                        [55432]
#   --redis-port P      port of the benchmark's Redis                             [56379]
#   --seed-parallelism N  curl processes (keep-alive connections) for seeding     [16]
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
#   BENCH_JAVA_OPTS     extra JVM options for the service, e.g. "-Xmx512m"        [none]
#   BENCH_ADMIN_KEY     POINTS_LEDGER_ADMIN_KEY given to the service (needed by builds with API
#                       keys; ignored by builds without)                          [bench-admin-key-0123456789]
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
#
# Output: the markdown table on stdout (also written to load-tests/results/benchmark-<UTC time>.md,
# a git-ignored folder); progress goes to stderr. Exit status is non-zero if any step fails
# (the table is still printed when non-2xx responses occur; they are reported, not fatal).
# -------------------------------------------------------------------------------------------------
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_DIR="$(cd "$SCRIPT_DIR/.." && pwd)"
WRK_DIR="$SCRIPT_DIR/wrk"
JAR="$REPO_DIR/target/quarkus-app/quarkus-run.jar"

MEMBERS=1000
DURATION=20
WARMUP=5
THREADS=2
SCENARIOS="earn,redeem,balance,hold"
PORT=8090
PG_PORT=55432
REDIS_PORT=56379
SEED_PARALLELISM=16
BUILD=0
REF=""
KEEP=0
HOST=127.0.0.1
BENCH_ADMIN_KEY="${BENCH_ADMIN_KEY:-bench-admin-key-0123456789}"
# Every request authenticates as the program operator (no rate limit) unless told otherwise.
BENCH_AUTH_HEADER="${BENCH_AUTH_HEADER-Authorization: Bearer $BENCH_ADMIN_KEY}"

usage() {
    sed -n '3,/^# ----/p' "${BASH_SOURCE[0]}" | sed -e '$d' -e 's/^# \{0,1\}//'
}

die() {
    echo "benchmark: error: $*" >&2
    exit 1
}

log() {
    echo "[$(date +%H:%M:%S)] $*" >&2
}

require_number() {
    [[ "$2" =~ ^[1-9][0-9]*$ ]] || die "$1 needs a positive integer, got '$2'"
}

while [[ $# -gt 0 ]]; do
    case "$1" in
        --members) require_number "$1" "${2:-}"; MEMBERS="$2"; shift 2 ;;
        --duration) require_number "$1" "${2:-}"; DURATION="$2"; shift 2 ;;
        --warmup) require_number "$1" "${2:-}"; WARMUP="$2"; shift 2 ;;
        --threads) require_number "$1" "${2:-}"; THREADS="$2"; shift 2 ;;
        --scenarios) SCENARIOS="${2:-}"; shift 2 ;;
        --port) require_number "$1" "${2:-}"; PORT="$2"; shift 2 ;;
        --pg-port) require_number "$1" "${2:-}"; PG_PORT="$2"; shift 2 ;;
        --redis-port) require_number "$1" "${2:-}"; REDIS_PORT="$2"; shift 2 ;;
        --seed-parallelism) require_number "$1" "${2:-}"; SEED_PARALLELISM="$2"; shift 2 ;;
        --build) BUILD=1; shift ;;
        --ref) [[ -n "${2:-}" ]] || die "--ref needs a commit"; REF="$2"; shift 2 ;;
        --keep) KEEP=1; shift ;;
        -h|--help) usage; exit 0 ;;
        *) usage >&2; die "unknown option '$1'" ;;
    esac
done

declare -A CONNECTIONS=([earn]=32 [redeem]=32 [balance]=64 [hold]=32)
declare -A SCRIPTS=([earn]=earn.lua [redeem]=redeem.lua [balance]=balance.lua [hold]=hold_capture.lua)
IFS=',' read -r -a SCENARIO_LIST <<< "$SCENARIOS"
[[ ${#SCENARIO_LIST[@]} -gt 0 ]] || die "--scenarios is empty"
for scenario in "${SCENARIO_LIST[@]}"; do
    [[ -n "${CONNECTIONS[$scenario]:-}" ]] || die "unknown scenario '$scenario' (earn, redeem, balance, hold)"
    (( CONNECTIONS[$scenario] >= THREADS )) || die "--threads $THREADS exceeds the $scenario connections"
done
[[ $(id -u) -eq 0 ]] || die "run as root (installs Debian packages and runs PostgreSQL with runuser)"

# Other work on the machine skews the numbers; the report shows the load average before and after.
LOADAVG_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"

# ------------------------------------------------------------------------------ dependencies
find_pg_bin() {   # the bin dir of the highest PostgreSQL major version installed, if any
    local dir version best=0 found=""
    for dir in /usr/lib/postgresql/*/bin; do
        version="$(basename "$(dirname "$dir")")"
        [[ "$version" =~ ^[0-9]+$ && -x "$dir/pg_ctl" && -x "$dir/initdb" ]] || continue
        if (( version > best )); then best=$version; found=$dir; fi
    done
    [[ -z "$found" ]] || echo "$found"
}

missing=()
command -v wrk >/dev/null 2>&1 || missing+=(wrk)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
command -v ps >/dev/null 2>&1 || missing+=(procps)
command -v curl >/dev/null 2>&1 || missing+=(curl)
[[ -n "$(find_pg_bin)" ]] || missing+=(postgresql)
if [[ ${#missing[@]} -gt 0 ]]; then
    log "installing ${missing[*]} from Debian"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q >&2
    apt-get install -y --no-install-recommends "${missing[@]}" >&2
fi
PG_BIN="$(find_pg_bin)"
[[ -n "$PG_BIN" ]] || die "no PostgreSQL server binaries under /usr/lib/postgresql/*/bin"
command -v java >/dev/null 2>&1 || die "java (17+) is not on the PATH"

port_in_use() {
    ss -Htln "sport = :$1" 2>/dev/null | grep -q . && return 0
    # Fall back to a connect probe where ss is unavailable.
    (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null
}
for pair in "service:$PORT" "PostgreSQL:$PG_PORT" "Redis:$REDIS_PORT"; do
    if port_in_use "${pair#*:}"; then
        die "port ${pair#*:} for ${pair%%:*} is already in use; choose another with --port, --pg-port or --redis-port"
    fi
done

# ------------------------------------------------------------------------------ work dir, cleanup
if [[ -n "${BENCH_WORK_DIR:-}" ]]; then
    WORK_DIR="$BENCH_WORK_DIR"
    mkdir -p "$WORK_DIR"
else
    WORK_DIR="$(mktemp -d /tmp/points-ledger-bench.XXXXXX)"
fi
WORK_DIR="$(cd "$WORK_DIR" && pwd)"
chmod 0755 "$WORK_DIR"   # the postgres user must reach its data dir inside
PG_DATA="$WORK_DIR/pgdata"
PG_SOCKET_DIR="$WORK_DIR/pgsocket"
PG_LOG="$WORK_DIR/postgres.log"
REDIS_PID_FILE="$WORK_DIR/redis.pid"
REDIS_LOG="$WORK_DIR/redis.log"
SERVICE_LOG="$WORK_DIR/service.log"
MEMBERS_FILE="$WORK_DIR/members.txt"
RUN_ID="$(date -u +%Y%m%d%H%M%S)-$$"

SERVICE_PID=""
PG_STARTED=0
REDIS_PID=""

cleanup() {
    local status=$?
    trap - EXIT INT TERM
    set +e
    if [[ -n "$SERVICE_PID" ]] && kill -0 "$SERVICE_PID" 2>/dev/null; then
        log "stopping the service (pid $SERVICE_PID)"
        kill -TERM "$SERVICE_PID" 2>/dev/null
        for _ in $(seq 1 100); do kill -0 "$SERVICE_PID" 2>/dev/null || break; sleep 0.2; done
        kill -0 "$SERVICE_PID" 2>/dev/null && kill -KILL "$SERVICE_PID" 2>/dev/null
        wait "$SERVICE_PID" 2>/dev/null
    fi
    if [[ -n "$REDIS_PID" ]] && kill -0 "$REDIS_PID" 2>/dev/null; then
        log "stopping Redis (pid $REDIS_PID)"
        kill -TERM "$REDIS_PID" 2>/dev/null
        for _ in $(seq 1 50); do kill -0 "$REDIS_PID" 2>/dev/null || break; sleep 0.1; done
    fi
    if [[ $PG_STARTED -eq 1 ]]; then
        log "stopping PostgreSQL"
        runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w -t 60 stop >/dev/null 2>&1
    fi
    if [[ $KEEP -eq 0 ]]; then
        [[ ! -f "$PG_DATA/PG_VERSION" ]] || rm -rf -- "$PG_DATA"
        [[ -z "$REF" || -z "${BUILD_DIR:-}" || "$BUILD_DIR" == "$REPO_DIR" ]] || rm -rf -- "$BUILD_DIR"
    fi
    log "logs and wrk outputs: $WORK_DIR"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ------------------------------------------------------------------------------ PostgreSQL
if [[ -e "$PG_DATA" ]]; then
    [[ -f "$PG_DATA/PG_VERSION" ]] || die "$PG_DATA exists and is not a PostgreSQL data dir"
    rm -rf -- "$PG_DATA"
fi
mkdir -p "$PG_DATA" "$PG_SOCKET_DIR"
chown postgres:postgres "$PG_DATA" "$PG_SOCKET_DIR"
chmod 0700 "$PG_DATA"
touch "$PG_LOG" && chown postgres:postgres "$PG_LOG"
log "initdb $PG_DATA ($PG_BIN)"
runuser -u postgres -- "$PG_BIN/initdb" -D "$PG_DATA" -U postgres -E UTF8 --locale=C.UTF-8 \
    --auth-local=trust --auth-host=trust >"$WORK_DIR/initdb.log" 2>&1 \
    || { cat "$WORK_DIR/initdb.log" >&2; die "initdb failed"; }
cat >>"$PG_DATA/postgresql.conf" <<EOF

# load-tests/benchmark.sh
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$PG_SOCKET_DIR'
synchronous_commit = on
max_connections = 200
shared_buffers = 256MB
timezone = 'UTC'
EOF
log "starting PostgreSQL on $HOST:$PG_PORT"
PG_STARTED=1
runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_LOG" -w -t 60 start >/dev/null \
    || { tail -n 30 "$PG_LOG" >&2; die "PostgreSQL did not start"; }

# ------------------------------------------------------------------------------ Redis
log "starting Redis on $HOST:$REDIS_PORT"
redis-server --bind "$HOST" --port "$REDIS_PORT" --save "" --appendonly no --daemonize yes \
    --pidfile "$REDIS_PID_FILE" --logfile "$REDIS_LOG" --dir "$WORK_DIR" \
    || die "redis-server did not start"
for _ in $(seq 1 50); do
    [[ -s "$REDIS_PID_FILE" ]] && break
    sleep 0.1
done
[[ -s "$REDIS_PID_FILE" ]] || { tail -n 20 "$REDIS_LOG" >&2; die "Redis wrote no pid file"; }
REDIS_PID="$(cat "$REDIS_PID_FILE")"

# ------------------------------------------------------------------------------ build, service
BUILD_DIR="$REPO_DIR"
if [[ -n "$REF" ]]; then
    REF_COMMIT="$(git -C "$REPO_DIR" rev-parse --verify --short "$REF^{commit}")" || die "no commit '$REF'"
    BUILD_DIR="$WORK_DIR/build-$REF_COMMIT"
    JAR="$BUILD_DIR/target/quarkus-app/quarkus-run.jar"
    if [[ ! -f "$JAR" || $BUILD -eq 1 ]]; then
        log "exporting $REF ($REF_COMMIT) to $BUILD_DIR"
        rm -rf -- "$BUILD_DIR"
        mkdir -p "$BUILD_DIR"
        git -C "$REPO_DIR" archive --format=tar "$REF_COMMIT" | tar -x -C "$BUILD_DIR"
        BUILD=1
    fi
fi
if [[ $BUILD -eq 1 || ! -f "$JAR" ]]; then
    log "building: ./mvnw -B -q package -DskipTests (in $BUILD_DIR)"
    (cd "$BUILD_DIR" && ./mvnw -B -q package -DskipTests) >&2 || die "the build failed"
fi
[[ -f "$JAR" ]] || die "$JAR is missing after the build"

BASE_URL="http://$HOST:$PORT"
log "starting the service on $BASE_URL ($JAR)"
# shellcheck disable=SC2086  # BENCH_JAVA_OPTS is a list of options
POINTS_LEDGER_DB="$HOST:$PG_PORT/postgres" \
POINTS_LEDGER_DB_USER=postgres \
POINTS_LEDGER_REDIS="redis://$HOST:$REDIS_PORT" \
POINTS_LEDGER_ADMIN_KEY="$BENCH_ADMIN_KEY" \
POINTS_LEDGER_PII_ENCRYPTION_KEYS="bench1:YmVuY2gtb25seS1waWkta2V5LTAwMDAwMDAwMDAwMDA=" \
POINTS_LEDGER_PII_ACTIVE_KEY_ID=bench1 \
POINTS_LEDGER_PII_BLIND_INDEX_KEY="YmVuY2gtb25seS1ibGluZC1pbmRleC1rZXk=" \
    java ${BENCH_JAVA_OPTS:-} -Dquarkus.http.host="$HOST" -Dquarkus.http.port="$PORT" \
    -jar "$JAR" >"$SERVICE_LOG" 2>&1 </dev/null &
SERVICE_PID=$!

ready=0
for _ in $(seq 1 120); do   # 120 x 0.5 s = 60 s
    kill -0 "$SERVICE_PID" 2>/dev/null || break
    code="$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$BASE_URL/q/health/ready" || true)"
    if [[ "$code" == "200" ]]; then ready=1; break; fi
    sleep 0.5
done
if [[ $ready -ne 1 ]]; then
    tail -n 40 "$SERVICE_LOG" >&2
    if ! kill -0 "$SERVICE_PID" 2>/dev/null; then
        service_status=0
        wait "$SERVICE_PID" || service_status=$?
        SERVICE_PID=""
        die "the service exited during startup with status $service_status (log: $SERVICE_LOG)"
    fi
    die "the service did not become ready within 60 s (log: $SERVICE_LOG)"
fi
log "service ready (pid $SERVICE_PID)"

# ------------------------------------------------------------------------------ seeding
# Seeding runs SEED_PARALLELISM curl processes, each sending its share of the requests one after
# another over one keep-alive connection (curl config files with one block per request, joined by
# "next"), so that it neither forks a process nor opens a connection per request.
SEED_DIR="$WORK_DIR/seed"
rm -rf -- "$SEED_DIR"
mkdir -p "$SEED_DIR"

# write_curl_configs PREFIX: reads "url<TAB>idempotency key or -<TAB>body<TAB>write-out" lines
# on stdin and spreads them over SEED_PARALLELISM curl config files PREFIX-NNN.curl.
write_curl_configs() {
    awk -F '\t' -v p="$SEED_PARALLELISM" -v prefix="$1" -v auth="${BENCH_AUTH_HEADER:-}" '
        function quoted(text) { gsub(/\\/, "\\\\", text); gsub(/"/, "\\\"", text); return "\"" text "\"" }
        {
            file = sprintf("%s-%03d.curl", prefix, (NR - 1) % p)
            if (file in used) print "next" > file
            used[file] = 1
            print "url = " quoted($1) > file
            print "request = \"POST\"" > file
            print "header = \"Content-Type: application/json\"" > file
            if ($2 != "-") print "header = " quoted("Idempotency-Key: " $2) > file
            if (auth != "") print "header = " quoted(auth) > file
            print "data = " quoted($3) > file
            print "write-out = " quoted($4) > file
            print "silent\nshow-error\nmax-time = 30" > file
        }'
}

run_curl_configs() {   # run_curl_configs PREFIX -> every response on stdout
    # Each curl writes to its own file: parallel writers to one pipe could interleave mid-line.
    local status=0
    # shellcheck disable=SC2016  # $1 is expanded by sh -c, not here
    printf '%s\0' "$1"-*.curl | xargs -0 -P "$SEED_PARALLELISM" -I{} sh -c 'curl -K "$1" >"$1.out"' sh {} \
        || status=$?
    cat "$1"-*.curl.out
    return "$status"
}

log "enrolling $MEMBERS members ($SEED_PARALLELISM keep-alive connections)"
seed_start=$(date +%s.%N)
for i in $(seq 1 "$MEMBERS"); do
    printf '%s\t-\t{"name":"Bench %d","channel":"ONLINE"}\t\\n\n' "$BASE_URL/v1/members" "$i"
done | write_curl_configs "$SEED_DIR/enroll"
{ run_curl_configs "$SEED_DIR/enroll" || true; } \
    | { grep -o '"memberId":"[0-9a-fA-F-]\{36\}"' || true; } | cut -d'"' -f4 >"$MEMBERS_FILE"
enrolled=$(wc -l <"$MEMBERS_FILE")
[[ "$enrolled" -eq "$MEMBERS" ]] || die "enrolled $enrolled of $MEMBERS members (see $SERVICE_LOG)"

log "earning 10000 points for each member"
EARN_SEED_BODY='{"orderId":"seed-1","amount":{"value":1000000,"currency":"USD"},"channel":"POS"}'
while read -r member; do
    printf '%s\t%s\t%s\t%s\n' "$BASE_URL/v1/members/$member/earn" "seed-$RUN_ID-$member" \
        "$EARN_SEED_BODY" '%{http_code}\n'
done <"$MEMBERS_FILE" | write_curl_configs "$SEED_DIR/earn"
# -o /dev/null for every request: "output" is per URL in a config, so add it to each block.
sed -i 's|^url = .*|&\noutput = "/dev/null"|' "$SEED_DIR"/earn-*.curl
earn_codes="$(run_curl_configs "$SEED_DIR/earn" || true)"
earned=$(grep -c '^201$' <<<"$earn_codes" || true)
if [[ "$earned" -ne "$MEMBERS" ]]; then
    sort <<<"$earn_codes" | uniq -c >&2
    die "seed earn: $earned of $MEMBERS answered 201 (see $SERVICE_LOG)"
fi
seed_seconds=$(awk -v s="$seed_start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }')
log "seeded $MEMBERS members in ${seed_seconds}s"

# ------------------------------------------------------------------------------ wrk scenarios
run_wrk() {   # scenario phase seconds -> prints the BENCH_RESULT line
    local scenario="$1" phase="$2" seconds="$3"
    local connections="${CONNECTIONS[$scenario]}"
    local out="$WORK_DIR/wrk-$scenario-$phase.txt"
    BENCH_WRK_DIR="$WRK_DIR" BENCH_MEMBERS_FILE="$MEMBERS_FILE" BENCH_RUN_ID="$RUN_ID" \
    BENCH_PHASE="$phase" BENCH_CONNECTIONS="$connections" BENCH_AUTH_HEADER="${BENCH_AUTH_HEADER:-}" \
        wrk -t"$THREADS" -c"$connections" -d"${seconds}s" --timeout 10s \
        -s "$WRK_DIR/${SCRIPTS[$scenario]}" "$BASE_URL" >"$out" 2>&1 \
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

declare -A RESULTS=()
for scenario in "${SCENARIO_LIST[@]}"; do
    log "$scenario: warm-up ${WARMUP}s at ${CONNECTIONS[$scenario]} connections"
    warm="$(run_wrk "$scenario" warmup "$WARMUP")"
    log "  warm-up: $(field rps "$warm") req/s, statuses $(field statuses "$warm")$(
        [[ "$scenario" != "hold" ]] || echo ", $(field captures_per_s "$warm") pairs/s")"
    log "$scenario: measuring ${DURATION}s at ${CONNECTIONS[$scenario]} connections"
    RESULTS[$scenario]="$(run_wrk "$scenario" measure "$DURATION")"
    log "  ${RESULTS[$scenario]#BENCH_RESULT }"
done

# ------------------------------------------------------------------------------ RSS, checks
rss_kb="$(awk '/^VmRSS:/ { print $2 }' "/proc/$SERVICE_PID/status" 2>/dev/null || true)"
[[ -n "$rss_kb" ]] || rss_kb="$(ps -o rss= -p "$SERVICE_PID" | tr -d ' ')"
hwm_kb="$(awk '/^VmHWM:/ { print $2 }' "/proc/$SERVICE_PID/status" 2>/dev/null || echo "?")"
rss_mb=$(awk -v k="$rss_kb" 'BEGIN { printf "%.0f", k / 1024 }')
hwm_mb=$(awk -v k="$hwm_kb" 'BEGIN { printf "%.0f", k / 1024 }')

auth_args=()
[[ -z "${BENCH_AUTH_HEADER:-}" ]] || auth_args=(-H "$BENCH_AUTH_HEADER")
reconciliation="$(curl -sS --max-time 60 "${auth_args[@]}" "$BASE_URL/v1/admin/reconciliation" 2>&1 || true)"
log_problems=$(grep -cE '(ERROR|SEVERE|Exception)' "$SERVICE_LOG" || true)
log_warnings=$(grep -cE '^[0-9-]+ [0-9:,]+ WARN ' "$SERVICE_LOG" || true)

# ------------------------------------------------------------------------------ report
# No early exit in these pipelines: a SIGPIPE upstream would fail them under pipefail.
cpu_model="$(lscpu 2>/dev/null | awk -F: '/^Model name/ && !seen { sub(/^[ \t]+/, "", $2); print $2; seen = 1 }' || true)"
mem_total="$(awk '/^MemTotal:/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)"
if [[ -n "$REF" ]]; then
    commit="$REF_COMMIT (--ref $REF, built from a clean export)"
else
    commit="$(git -C "$REPO_DIR" rev-parse --short HEAD 2>/dev/null || echo unknown)"
    if [[ -n "$(git -C "$REPO_DIR" status --porcelain -- src pom.xml 2>/dev/null)" ]]; then
        commit="$commit (working tree, with uncommitted changes in src/ or pom.xml)"
    fi
fi
jar_built="$(date -u -r "$JAR" +%Y-%m-%dT%H:%M:%SZ)"
java_version="$(java -version 2>&1 | awk 'NR == 1' || true)"
pg_version="$("$PG_BIN/postgres" --version)"
redis_version="$(redis-server --version | awk '{ print $3 }')"
wrk_version="$(wrk -v 2>&1 | awk 'NR == 1 { print $2 }' || true)"

mkdir -p "$SCRIPT_DIR/results"
REPORT="$SCRIPT_DIR/results/benchmark-$(date -u +%Y%m%dT%H%M%SZ).md"
{
    echo "## points-ledger benchmark"
    echo
    echo "| scenario | connections | req/s | pairs/s | p50 ms | p99 ms | non-2xx |"
    echo "|---|---:|---:|---:|---:|---:|---:|"
    for scenario in "${SCENARIO_LIST[@]}"; do
        line="${RESULTS[$scenario]}"
        printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$scenario" "${CONNECTIONS[$scenario]}" \
            "$(field rps "$line")" "$(pairs_text "$scenario" "$line")" "$(field p50_ms "$line")" \
            "$(field p99_ms "$line")" "$(non2xx_text "$line")"
    done
    echo
    echo "- service RSS after the runs: ${rss_mb} MiB (VmRSS ${rss_kb} kB; peak VmHWM ${hwm_mb} MiB)"
    for scenario in "${SCENARIO_LIST[@]}"; do
        line="${RESULTS[$scenario]}"
        echo "- $scenario: $(field requests "$line") requests in $(field duration_s "$line") s," \
            "statuses $(field statuses "$line"), p90 $(field p90_ms "$line") ms, max $(field max_ms "$line") ms," \
            "socket errors connect/read/write/timeout" \
            "$(field connect_errors "$line")/$(field read_errors "$line")/$(field write_errors "$line")/$(field timeouts "$line")"
        if [[ "$scenario" == "hold" ]]; then
            echo "  - hold+capture: $(field holds "$line") holds created (201), $(field captures "$line") captured (200):" \
                "$(field captures_per_s "$line") pairs/s; req/s and latencies count holds and captures alike;" \
                "$(field holds_unparsed "$line") 201 answers without a holdId"
        fi
    done
    echo "- setup: $MEMBERS members seeded with 10000 points each in ${seed_seconds} s; wrk -t$THREADS," \
        "${WARMUP} s warm-up then ${DURATION} s measured per scenario; service, PostgreSQL and Redis" \
        "on the same machine as wrk"
    echo "- reconciliation after the runs: $reconciliation"
    echo "- service log: $log_problems lines matching ERROR/SEVERE/Exception, $log_warnings WARN lines" \
        "($SERVICE_LOG)"
    echo "- machine: $(nproc) CPUs ($cpu_model), $mem_total memory; load average (1/5/15 min)" \
        "before the run $LOADAVG_BEFORE, after it $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "- software: $java_version; $pg_version (synchronous_commit=on, shared_buffers=256MB," \
        "max_connections=200); Redis $redis_version; wrk $wrk_version"
    echo "- date: $(date -u +%Y-%m-%dT%H:%M:%SZ); git commit: $commit; jar built $jar_built"
} >"$REPORT"
cat "$REPORT"
log "report written to $REPORT"
if [[ "$log_problems" -gt 0 || "$log_warnings" -gt 0 ]]; then
    log "the service log has $log_problems ERROR/SEVERE/Exception and $log_warnings WARN lines; first ones:"
    grep -E '(ERROR|SEVERE|Exception| WARN )' "$SERVICE_LOG" | awk 'NR <= 10' >&2 || true
fi
