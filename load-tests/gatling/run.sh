#!/usr/bin/env bash
# -------------------------------------------------------------------------------------------------
# load-tests/gatling/run.sh: runs the Gatling peak-sale simulation (PeakSaleSimulation.java, the
# Maven project in this folder) against points-ledger and prints the summary; Gatling writes its
# HTML report under load-tests/gatling/target/gatling/ (git-ignored).
#
# By default it starts nothing: the service must be running at --base-url. It seeds --members
# members through that service's API first (enrolment, then an earn of 10 000 points each, 16
# parallel keep-alive curl processes, as benchmark.sh does), unless --members-file names ids
# seeded before. With --start it instead starts PostgreSQL, Redis and the service exactly as
# benchmark.sh does (load-tests/lib.sh: 127.0.0.1, ports 25432/26379/28090, --ref builds) and
# stops them on exit.
#
# Usage:
#   load-tests/gatling/run.sh [options]
#
# Options (default in brackets):
#   --base-url URL        the service, without --start                [http://127.0.0.1:28090]
#   --management-url URL  its management interface (health), without --start
#                                                                     [http://127.0.0.1:29000]
#   --members N           members to seed and use                                      [100000]
#   --members-file FILE   use the member ids in FILE (one a line, at least N), seed nothing
#   --target-rps R        requests per second at the plateau                              [300]
#   --ramp-seconds S      ramp from 1 request/s up to R                                    [60]
#   --hold-seconds S      plateau at R                                                     [300]
#   --ramp-down-seconds S ramp from R down to 1 request/s                     [--ramp-seconds]
#   --mix B,E,R,H,Y,V     percent of operations: balance, earn with items, redeem, hold+capture,
#                         history, reversal (adding up to 100)                   [55,25,8,7,3,2]
#   --max-failed-pct P    Gatling assertion: at most P % failed requests                  [1.0]
#   --warmup-seconds S    before the measured run, run the same mix at the target rate for S
#                         seconds (a separate Gatling run, not reported), so that the service's
#                         JIT has compiled its hot paths: a service in production is warm      [0]
#   --seed-parallelism N  curl processes for seeding                                       [16]
#   --seed api|sql        api: enrol and earn through the service; sql (needs --start): write
#                         the same ledger state straight into PostgreSQL, no events, in about a
#                         minute for 1 000 000 members (see pl_seed_members_sql in lib.sh)  [api]
#   --start               start PostgreSQL, Redis and the service (as benchmark.sh) and stop
#                         them after the run; then also:
#     --ref REF           build and run the committed REF from a git archive export
#     --build             (re)build the service first
#     --port P --management-port P --pg-port P --redis-port P  [28090, 29000, 25432, 26379]
#                         (a default that is taken: the next free port, as for benchmark.sh)
#     --keep              keep the PostgreSQL data dir (and the --ref build)
#   -h, --help            print this help
#
# Environment: BENCH_ADMIN_KEY (the operator key: Authorization: Bearer <key> on every request;
# with --start also the service's POINTS_LEDGER_ADMIN_KEY, at least 32 characters) [random, per run];
# BENCH_WORK_DIR [a new /tmp/points-ledger-gatling.XXXXXX]: member ids, seeding files, logs;
# with --start also BENCH_BUILD_CACHE and BENCH_JAVA_OPTS as for benchmark.sh.
#
# The simulation runs with load-tests/gatling/pom.xml (io.gatling:gatling-maven-plugin,
# io.gatling.highcharts:gatling-charts-highcharts) through the repository's Maven wrapper:
#   ./mvnw -B -f load-tests/gatling/pom.xml gatling:test -DbaseUrl=... -DtargetRps=... ...
# Output: Gatling's console summary and the report path on stdout (also written to
# load-tests/results/gatling-<UTC time>.md); progress on stderr. Exit status is Gatling's: non-zero
# when the run fails or its assertion (failed requests) does not hold.
# -------------------------------------------------------------------------------------------------
set -euo pipefail

GATLING_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
SCRIPT_DIR="$(cd "$GATLING_DIR/.." && pwd)"
REPO_DIR="$(cd "$SCRIPT_DIR/.." && pwd)"
PL_NAME=gatling

BASE_URL_OPTION="http://127.0.0.1:28090"
MANAGEMENT_URL_OPTION="http://127.0.0.1:29000"
MEMBERS=100000
MEMBERS_FILE_OPTION=""
TARGET_RPS=300
RAMP_SECONDS=60
HOLD_SECONDS=300
RAMP_DOWN_SECONDS=""
MIX="55,25,8,7,3,2"
MAX_FAILED_PCT="1.0"
WARMUP_SECONDS=0
START=0
PORT=""              # empty: the default of lib.sh, or the next free port
MANAGEMENT_PORT=""
PG_PORT=""
REDIS_PORT=""
SEED_PARALLELISM=16
SEED_METHOD=api
BUILD=0
REF=""
KEEP=0
HOST=127.0.0.1

# shellcheck source=../lib.sh
source "$SCRIPT_DIR/lib.sh"

require_decimal() {
    [[ "$2" =~ ^[0-9]+(\.[0-9]+)?$ ]] || die "$1 needs a number, got '$2'"
}

while [[ $# -gt 0 ]]; do
    case "$1" in
        --base-url) [[ -n "${2:-}" ]] || die "--base-url needs a URL"; BASE_URL_OPTION="${2%/}"; shift 2 ;;
        --management-url) [[ -n "${2:-}" ]] || die "--management-url needs a URL"; MANAGEMENT_URL_OPTION="${2%/}"; shift 2 ;;
        --members) require_number "$1" "${2:-}"; MEMBERS="$2"; shift 2 ;;
        --members-file) [[ -f "${2:-}" ]] || die "--members-file: no file '${2:-}'"; MEMBERS_FILE_OPTION="$(cd "$(dirname "$2")" && pwd)/$(basename "$2")"; shift 2 ;;
        --target-rps) require_decimal "$1" "${2:-}"; TARGET_RPS="$2"; shift 2 ;;
        --ramp-seconds) require_number "$1" "${2:-}"; RAMP_SECONDS="$2"; shift 2 ;;
        --hold-seconds) require_number "$1" "${2:-}"; HOLD_SECONDS="$2"; shift 2 ;;
        --ramp-down-seconds) require_number "$1" "${2:-}"; RAMP_DOWN_SECONDS="$2"; shift 2 ;;
        --mix) [[ "${2:-}" =~ ^[0-9.]+(,[0-9.]+){5}$ ]] || die "--mix needs six comma-separated percentages"; MIX="$2"; shift 2 ;;
        --max-failed-pct) require_decimal "$1" "${2:-}"; MAX_FAILED_PCT="$2"; shift 2 ;;
        --warmup-seconds) require_number "$1" "${2:-}"; WARMUP_SECONDS="$2"; shift 2 ;;
        --seed-parallelism) require_number "$1" "${2:-}"; SEED_PARALLELISM="$2"; shift 2 ;;
        --seed) [[ "${2:-}" == api || "${2:-}" == sql ]] || die "--seed takes api or sql"; SEED_METHOD="$2"; shift 2 ;;
        --start) START=1; shift ;;
        --ref) [[ -n "${2:-}" ]] || die "--ref needs a commit"; REF="$2"; shift 2 ;;
        --build) BUILD=1; shift ;;
        --port) require_number "$1" "${2:-}"; PORT="$2"; shift 2 ;;
        --management-port) require_number "$1" "${2:-}"; MANAGEMENT_PORT="$2"; shift 2 ;;
        --pg-port) require_number "$1" "${2:-}"; PG_PORT="$2"; shift 2 ;;
        --redis-port) require_number "$1" "${2:-}"; REDIS_PORT="$2"; shift 2 ;;
        --keep) KEEP=1; shift ;;
        -h|--help) pl_usage "${BASH_SOURCE[0]}"; exit 0 ;;
        *) pl_usage "${BASH_SOURCE[0]}" >&2; die "unknown option '$1'" ;;
    esac
done
RAMP_DOWN_SECONDS="${RAMP_DOWN_SECONDS:-$RAMP_SECONDS}"
IFS=',' read -r BALANCE_PCT EARN_PCT REDEEM_PCT HOLD_CAPTURE_PCT HISTORY_PCT REVERSAL_PCT <<<"$MIX"
awk -v m="$MIX" 'BEGIN { n = split(m, p, ","); s = 0; for (i = 1; i <= n; i++) s += p[i]; exit !(s > 99.999 && s < 100.001) }' \
    || die "--mix $MIX does not add up to 100"
[[ $START -eq 1 || ( -z "$REF" && $BUILD -eq 0 && $KEEP -eq 0 && "$SEED_METHOD" == api ) ]] \
    || die "--ref, --build, --keep and --seed sql need --start"
command -v curl >/dev/null 2>&1 || die "curl is missing"
command -v java >/dev/null 2>&1 || die "java (17+) is not on the PATH"
LOADAVG_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"

pl_make_work_dir points-ledger-gatling
GATLING_LOG="$WORK_DIR/gatling.log"
RUN_ID="$(date -u +%Y%m%d%H%M%S)-$$"
pl_install_traps

if [[ $START -eq 1 ]]; then
    [[ $(id -u) -eq 0 ]] || die "--start needs root (installs Debian packages and runs PostgreSQL with runuser)"
    pl_install_missing redis-server:redis-server ps:procps curl:curl jq:jq
    pl_resolve_ports "service:PORT:--port" "management interface:MANAGEMENT_PORT:--management-port" \
        "PostgreSQL:PG_PORT:--pg-port" "Redis:REDIS_PORT:--redis-port"
    pl_start_postgres
    pl_start_redis
    pl_build
    pl_start_service "$WORK_DIR/service.log"
    SERVICE_TEXT="started by run.sh --start: $(pl_commit_text); /q/health/ready $SERVICE_READINESS; log $WORK_DIR/service.log"
else
    BASE_URL="$BASE_URL_OPTION"
    MANAGEMENT_URL="$MANAGEMENT_URL_OPTION"
    # Readiness, bounded: 200, or 503 with only the messaging check DOWN (a service without a broker).
    answer="$(curl -s -w '\n%{http_code}' --max-time 10 "$MANAGEMENT_URL/q/health/ready" || true)"
    code="${answer##*$'\n'}"
    [[ "$code" == "200" || "$code" == "503" ]] || die "no service at $MANAGEMENT_URL (GET /q/health/ready answered '${code:-nothing}')"
    SERVICE_TEXT="already running at $BASE_URL (GET $MANAGEMENT_URL/q/health/ready: $code)"
fi

if [[ -n "$MEMBERS_FILE_OPTION" ]]; then
    MEMBERS_FILE="$MEMBERS_FILE_OPTION"
    [[ $(grep -c . "$MEMBERS_FILE") -ge $MEMBERS ]] || die "$MEMBERS_FILE holds fewer than $MEMBERS ids"
    SEED_TEXT="ids from $MEMBERS_FILE (not seeded by this run)"
elif [[ "$SEED_METHOD" == sql ]]; then
    pl_seed_members_sql "$MEMBERS"
    SEED_TEXT="$MEMBERS members with 10000 points each written straight into PostgreSQL in ${SEED_SECONDS} s (--seed sql: no events, no cached balances); ids in $MEMBERS_FILE"
else
    pl_seed_members "$MEMBERS"
    SEED_TEXT="$MEMBERS members enrolled and given 10000 points each through the API in ${SEED_SECONDS} s ($SEED_PARALLELISM keep-alive curl processes); ids in $MEMBERS_FILE"
fi

# ------------------------------------------------------------------------------ Gatling
GATLING_ARGS=(-DbaseUrl="$BASE_URL" -DadminKey="$BENCH_ADMIN_KEY" -DmembersFile="$MEMBERS_FILE"
    -Dmembers="$MEMBERS" -DtargetRps="$TARGET_RPS" -DrampSeconds="$RAMP_SECONDS" -DholdSeconds="$HOLD_SECONDS"
    -DrampDownSeconds="$RAMP_DOWN_SECONDS" -DbalancePct="$BALANCE_PCT" -DearnPct="$EARN_PCT"
    -DredeemPct="$REDEEM_PCT" -DholdCapturePct="$HOLD_CAPTURE_PCT" -DhistoryPct="$HISTORY_PCT"
    -DreversalPct="$REVERSAL_PCT" -DmaxFailedPct="$MAX_FAILED_PCT")
GATLING_COMMAND="./mvnw -B -f load-tests/gatling/pom.xml gatling:test ${GATLING_ARGS[*]}"
# Bounded: the injection time, plus compiling, starting and writing the report.
gatling_timeout=$(( RAMP_SECONDS + HOLD_SECONDS + RAMP_DOWN_SECONDS + 900 ))
if [[ $WARMUP_SECONDS -gt 0 ]]; then
    # The same simulation at the same rate; only the injection profile differs. Not reported.
    warmup_args=("${GATLING_ARGS[@]}" -DrampSeconds=5 -DholdSeconds="$WARMUP_SECONDS" -DrampDownSeconds=1)
    log "warming the service up: Gatling at $TARGET_RPS req/s for ${WARMUP_SECONDS}s (log: $WORK_DIR/gatling-warmup.log)"
    warmup_status=0
    (cd "$REPO_DIR" && timeout $(( WARMUP_SECONDS + 900 )) ./mvnw -B -f "$GATLING_DIR/pom.xml" gatling:test "${warmup_args[@]}") \
        >"$WORK_DIR/gatling-warmup.log" 2>&1 || warmup_status=$?
    log "warm-up run exited with status $warmup_status"
fi
log "running Gatling: target $TARGET_RPS req/s, ramp ${RAMP_SECONDS}s, hold ${HOLD_SECONDS}s, ramp down ${RAMP_DOWN_SECONDS}s (log: $GATLING_LOG)"
gatling_status=0
(cd "$REPO_DIR" && timeout "$gatling_timeout" ./mvnw -B -f "$GATLING_DIR/pom.xml" gatling:test "${GATLING_ARGS[@]}") \
    >"$GATLING_LOG" 2>&1 || gatling_status=$?
log "Gatling exited with status $gatling_status"

# The console's final summary: from the last "Global Information" header to the end of its box.
summary="$(awk '/---- Global Information ----/ { buf = ""; on = 1 } on { buf = buf $0 "\n" } on && /^=+$/ { on = 0; last = buf } END { printf "%s", last }' "$GATLING_LOG")"
report_dir="$(grep -io 'open the following file: .*index.html' "$GATLING_LOG" | tail -n 1 \
    | sed 's/^.*following file: //; s|^file://||; s|/index.html$||' || true)"
assertion="$(grep -E '^Global: .*: (true|false)' "$GATLING_LOG" | tail -n 1 || true)"
# The plateau's achieved rate, from the console's 5-second snapshots ("Ns elapsed", then
# "> Global | total | OK | KO"): requests completed between the first snapshot 5 s into the
# plateau and the last one before it ends.
plateau="$(awk -v from=$(( RAMP_SECONDS + 5 )) -v to=$(( RAMP_SECONDS + HOLD_SECONDS )) '
    / elapsed$/ { t = $(NF - 1); sub(/s$/, "", t); t += 0; next }
    /^> Global / { split($0, f, "|"); gsub(/[ ,]/, "", f[2]); gsub(/[ ,]/, "", f[4]); n = f[2] + 0; ko = f[4] + 0
        if (t >= from && t <= to) { if (t1 == "") { t1 = t; n1 = n; k1 = ko } t2 = t; n2 = n; k2 = ko } }
    END { if (t1 != "" && t2 > t1) printf "%.1f req/s completed from %d s to %d s (%d requests, %d KO)", (n2 - n1) / (t2 - t1), t1, t2, n2 - n1, k2 - k1 }' "$GATLING_LOG")"
# The per-request statistics of the HTML report's table (index.html): name, then columns 2..14
# (total, OK, KO, % KO, count/s, min, p50, p75, p95, p99, max, mean, std dev).
per_request=""
if [[ -n "$report_dir" && -f "$report_dir/index.html" ]]; then
    per_request="$(awk '
        /class="ellipsed-name">/ { name = $0; sub(/.*class="ellipsed-name">/, "", name); sub(/<.*/, "", name); delete v; next }
        name != "" && /<td class="value [a-z]+ col-[0-9]+">/ {
            col = $0; sub(/.*col-/, "", col); sub(/".*/, "", col)
            val = $0; sub(/.*">/, "", val); sub(/<.*/, "", val); v[col] = val; next }
        name != "" && /<\/tr>/ {
            printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", name, v[2], v[3], v[4], v[5], v[6], v[8], v[10], v[11], v[12], v[13]
            name = "" }' "$report_dir/index.html")"
fi
gatling_version="Gatling $(sed -n 's|.*<gatling.version>\(.*\)</gatling.version>.*|\1|p' "$GATLING_DIR/pom.xml"), gatling-maven-plugin $(sed -n 's|.*<gatling-maven-plugin.version>\(.*\)</gatling-maven-plugin.version>.*|\1|p' "$GATLING_DIR/pom.xml")"

mkdir -p "$SCRIPT_DIR/results"
REPORT="$SCRIPT_DIR/results/gatling-$(date -u +%Y%m%dT%H%M%SZ).md"
{
    echo "## points-ledger Gatling peak sale"
    echo
    echo "- target: $TARGET_RPS req/s (ramp ${RAMP_SECONDS} s from 1 req/s, hold ${HOLD_SECONDS} s, ramp down ${RAMP_DOWN_SECONDS} s);" \
        "mix in % of operations balance/earn with items/redeem/hold+capture/history/reversal = $MIX;" \
        "open model, one operation per virtual user, shared keep-alive connections"
    echo "- members: $SEED_TEXT"
    echo "- service: $SERVICE_TEXT"
    echo "- Gatling: $gatling_version; exit status $gatling_status${assertion:+; assertion: $assertion}"
    if [[ $WARMUP_SECONDS -gt 0 ]]; then
        echo "- warm-up: the same mix at $TARGET_RPS req/s for ${WARMUP_SECONDS} s in a separate Gatling run just before" \
            "(exit status $warmup_status, not reported here; log $WORK_DIR/gatling-warmup.log)"
    fi
    echo "- plateau (target $TARGET_RPS req/s): ${plateau:-not measured (no console snapshots inside the plateau)}"
    echo "- HTML report: ${report_dir:-not found}/index.html"
    echo
    echo '```'
    if [[ -n "$summary" ]]; then printf '%s\n' "$summary"; else tail -n 40 "$GATLING_LOG"; fi
    echo '```'
    echo
    if [[ -n "$per_request" ]]; then
        echo "| request | total | OK | KO | % KO | req/s | p50 ms | p95 ms | p99 ms | max ms | mean ms |"
        echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
        echo "$per_request"
        echo
        echo "(from the HTML report's statistics table; req/s is averaged over the whole run, ramps included)"
        echo
    fi
    echo "- machine: $(nproc) CPUs ($(pl_cpu_model)), $(pl_mem_total) memory; load average (1/5/15 min)" \
        "before the run $LOADAVG_BEFORE, after it $(cut -d' ' -f1-3 /proc/loadavg); Gatling, the service," \
        "PostgreSQL and Redis on the same machine"
    echo "- date: $(date -u +%Y-%m-%dT%H:%M:%SZ); command: $GATLING_COMMAND (log: $GATLING_LOG)"
} >"$REPORT"
cat "$REPORT"
log "report written to $REPORT"
exit "$gatling_status"
