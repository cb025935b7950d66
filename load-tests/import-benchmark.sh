#!/usr/bin/env bash
# -------------------------------------------------------------------------------------------------
# load-tests/import-benchmark.sh: measures bulk member imports (POST /v1/admin/imports) as the
# packaged service runs them, and prints a markdown results table.
#
# It starts its own PostgreSQL and Redis (the set-up of benchmark.sh), builds the service from the
# committed REF (git archive, ./mvnw package), writes the members files with import-files.py
# (ROWS data rows, BAD_PERCENT % of them with a malformed email, every text distinct), starts the
# service (java -jar, prod profile) with its import directory in the work dir, then imports each
# file in turn: it POSTs the import and polls GET /v1/admin/imports/{jobId} and the service's
# VmRSS every second until the job is DONE. It reports, per file: rows, time from the 202 to DONE,
# rows/s, the service's peak RSS during the import, and whether the refused rows are exactly the
# bad rows written (the error report's row numbers against the generator's). Everything binds to
# 127.0.0.1 only. Must run as root (installs Debian packages if missing, uses runuser).
#
# Usage:
#   load-tests/import-benchmark.sh [options]
#
# Options (default in brackets):
#   --rows N            data rows per file                                        [1000000]
#   --bad-percent P     share of rows the import must refuse                      [1]
#   --formats LIST      comma-separated subset of csv,xlsx, imported in that order [csv,xlsx]
#   --max-seconds S     longest wait for one import                               [1800]
#   --kill-at N         SIGKILL the service once the first import has read N rows, start it again,
#                       and let the job go on from its last committed chunk; then check that every
#                       row was enrolled or refused exactly once (the members it enrolled, counted in
#                       PostgreSQL, and their distinct row numbers)                          [off]
#   --port P, --management-port P, --pg-port P, --redis-port P   as in benchmark.sh
#   --ref REF           the commit to build and measure                           [HEAD]
#   --keep              keep the work dir (PostgreSQL data, files)
#   -h, --help          print this help
#
# Environment: BENCH_WORK_DIR, BENCH_BUILD_CACHE, BENCH_JAVA_OPTS, MAVEN_ARGS as in benchmark.sh.
#
# Output: the markdown table on stdout (also written to
# load-tests/results/import-benchmark-<UTC time>.md); progress, one line a second, on stderr.
# Exit status is non-zero if a step fails or the refused rows are not exactly the bad ones.
# -------------------------------------------------------------------------------------------------
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_DIR="$(cd "$SCRIPT_DIR/.." && pwd)"

ROWS=1000000
BAD_PERCENT=1
FORMATS=csv,xlsx
MAX_SECONDS=1800
KILL_AT=0
PORT=""
MANAGEMENT_PORT=""
PG_PORT=""
REDIS_PORT=""
REF="HEAD"
KEEP=0
HOST=127.0.0.1

PL_NAME=import-benchmark
# shellcheck source=lib.sh
source "$SCRIPT_DIR/lib.sh"

usage() {
    pl_usage "${BASH_SOURCE[0]}"
}

while [[ $# -gt 0 ]]; do
    case "$1" in
        --rows) require_number "$1" "${2:-}"; ROWS="$2"; shift 2 ;;
        --bad-percent) [[ "${2:-}" =~ ^[0-9]+(\.[0-9]+)?$ ]] || die "--bad-percent needs a number"; BAD_PERCENT="$2"; shift 2 ;;
        --formats) [[ "${2:-}" =~ ^(csv|xlsx)(,(csv|xlsx))*$ ]] || die "--formats: csv, xlsx or both"; FORMATS="$2"; shift 2 ;;
        --max-seconds) require_number "$1" "${2:-}"; MAX_SECONDS="$2"; shift 2 ;;
        --kill-at) require_number "$1" "${2:-}"; KILL_AT="$2"; shift 2 ;;
        --port) require_number "$1" "${2:-}"; PORT="$2"; shift 2 ;;
        --management-port) require_number "$1" "${2:-}"; MANAGEMENT_PORT="$2"; shift 2 ;;
        --pg-port) require_number "$1" "${2:-}"; PG_PORT="$2"; shift 2 ;;
        --redis-port) require_number "$1" "${2:-}"; REDIS_PORT="$2"; shift 2 ;;
        --ref) [[ -n "${2:-}" ]] || die "--ref needs a commit"; REF="$2"; shift 2 ;;
        --keep) KEEP=1; shift ;;
        -h|--help) usage; exit 0 ;;
        *) usage >&2; die "unknown option '$1'" ;;
    esac
done
[[ $(id -u) -eq 0 ]] || die "run as root (installs Debian packages and runs PostgreSQL with runuser)"

pl_install_missing redis-server:redis-server curl:curl jq:jq python3:python3
pl_resolve_ports "service:PORT:--port" "management interface:MANAGEMENT_PORT:--management-port" \
    "PostgreSQL:PG_PORT:--pg-port" "Redis:REDIS_PORT:--redis-port"
pl_make_work_dir points-ledger-import
IMPORT_DIR="$WORK_DIR/imports"
SERVICE_LOG="$WORK_DIR/service.log"
mkdir -p "$IMPORT_DIR"
cleanup_hook() {
    log "service log: $SERVICE_LOG"
}
pl_install_traps

pl_build
COMMIT_TEXT="$(pl_commit_text)"
pl_start_postgres

pl_start_redis

IFS=',' read -r -a FORMAT_LIST <<<"$FORMATS"
for format in "${FORMAT_LIST[@]}"; do
    log "writing $ROWS rows as $format ($BAD_PERCENT % bad)"
    started=$(date +%s)
    python3 "$SCRIPT_DIR/import-files.py" --format "$format" --rows "$ROWS" --bad-percent "$BAD_PERCENT" \
        --prefix "bench-$format" --bad-rows "$WORK_DIR/bad-$format.txt" "$IMPORT_DIR/members.$format"
    log "  $(du -h "$IMPORT_DIR/members.$format" | cut -f1) in $(( $(date +%s) - started )) s"
done

export POINTS_LEDGER_IMPORT_DIRECTORY="$IMPORT_DIR"
# A short lease, so that a restarted service takes over the job it was running within seconds.
SERVICE_OPTIONS=(-Dpoints-ledger.imports.lease=PT15S -Dpoints-ledger.imports.job-interval=PT5S)
pl_start_service "$SERVICE_LOG" "${SERVICE_OPTIONS[@]}"
pl_auth_args

rss_mb() {
    awk '/^VmRSS:/ { printf "%.0f", $2 / 1024 }' "/proc/$SERVICE_PID/status" 2>/dev/null || echo 0
}

RESULT_LINES=()
KILL_LINE=""
FAILED=0
for format in "${FORMAT_LIST[@]}"; do
    rss_before="$(rss_mb)"
    answer="$(curl -sS --max-time 120 "${AUTH_ARGS[@]}" -H 'Content-Type: application/json' \
        -d "{\"kind\":\"MEMBERS\",\"file\":\"members.$format\"}" -w '\n%{http_code}' "$BASE_URL/v1/admin/imports")"
    [[ "${answer##*$'\n'}" == "202" ]] || die "the import of members.$format was not accepted: $answer"
    job_id="$(jq -r .jobId <<<"${answer%$'\n'*}")"
    started_ms=$(date +%s%3N)
    peak=0
    while true; do
        job="$(curl -sS --max-time 10 "${AUTH_ARGS[@]}" "$BASE_URL/v1/admin/imports/$job_id")"
        rss="$(rss_mb)"
        (( rss > peak )) && peak=$rss
        status="$(jq -r .status <<<"$job")"
        if (( KILL_AT > 0 )) && [[ -z "$KILL_LINE" && "$status" == "RUNNING" ]] && (( $(jq -r .rowsRead <<<"$job") >= KILL_AT )); then
            killed_at="$(jq -r .rowsRead <<<"$job")"
            log "  SIGKILL to the service at $killed_at rows read; starting it again"
            kill -KILL "$SERVICE_PID"
            wait "$SERVICE_PID" 2>/dev/null || true
            pl_start_service "$WORK_DIR/service-restarted.log" "${SERVICE_OPTIONS[@]}"
            KILL_LINE="killed at $killed_at rows read, restarted"
            continue
        fi
        log "  $format: $(jq -r '"\(.rowsRead) rows read, \(.rowsAccepted) accepted, \(.rowsRefused) refused, \(.rowsPerSecond) rows/s, progress \(.progress), \(.secondsLeft) s left"' <<<"$job"), RSS ${rss} MiB"
        [[ "$status" == "RUNNING" ]] || break
        (( $(date +%s%3N) - started_ms < MAX_SECONDS * 1000 )) || die "the import of members.$format did not finish in $MAX_SECONDS s"
        sleep 1
    done
    elapsed_ms=$(( $(date +%s%3N) - started_ms ))
    curl -sS --max-time 600 "${AUTH_ARGS[@]}" "$BASE_URL/v1/admin/imports/$job_id/error-report" \
        | tail -n +2 | cut -d, -f1 | sort -un > "$WORK_DIR/refused-$format.txt"
    if cmp -s <(sort -un "$WORK_DIR/bad-$format.txt") "$WORK_DIR/refused-$format.txt"; then
        exact="yes ($(wc -l <"$WORK_DIR/refused-$format.txt") rows)"
    else
        exact="NO: $(wc -l <"$WORK_DIR/refused-$format.txt") refused, $(wc -l <"$WORK_DIR/bad-$format.txt") bad"
        FAILED=1
    fi
    if [[ -n "$KILL_LINE" && "$KILL_LINE" != *checked* ]]; then
        enrolled="$(pl_sql "SELECT count(*), count(DISTINCT import_row) FROM members WHERE import_job_id = '$job_id'")"
        accepted="$(jq -r .rowsAccepted <<<"$job")"
        read_rows="$(jq -r .rowsRead <<<"$job")"
        if [[ "$enrolled" == "$accepted|$accepted" && "$read_rows" == "$ROWS" ]]; then
            KILL_LINE="$KILL_LINE: $read_rows rows read once each, $accepted members enrolled once each (checked)"
        else
            KILL_LINE="$KILL_LINE: NOT exactly once: rows read $read_rows of $ROWS, members and distinct rows $enrolled, accepted $accepted (checked)"
            FAILED=1
        fi
    fi
    RESULT_LINES+=("| $format | $(du -h "$IMPORT_DIR/members.$format" | cut -f1) | $(jq -r .rowsRead <<<"$job") | $(jq -r .status <<<"$job") | $(awk -v ms="$elapsed_ms" 'BEGIN { printf "%.1f", ms / 1000 }') | $(awk -v rows="$(jq -r .rowsRead <<<"$job")" -v ms="$elapsed_ms" 'BEGIN { printf "%.0f", rows * 1000 / ms }') | $rss_before | $peak | $exact |")
done

REPORT="$SCRIPT_DIR/results/import-benchmark-$(date -u +%Y%m%dT%H%M%SZ).md"
mkdir -p "$(dirname "$REPORT")"
{
    echo "#### points-ledger import benchmark"
    echo
    echo "| format | file | rows | status | seconds (202 to DONE) | rows/s | RSS before, MiB | peak RSS during, MiB | refused rows = bad rows |"
    echo "|---|---:|---:|---|---:|---:|---:|---:|---|"
    printf '%s\n' "${RESULT_LINES[@]}"
    echo
    echo "- $ROWS rows per file, $BAD_PERCENT % with a malformed email; chunks of 1 000 rows; service: java -jar" \
        "(prod profile)${BENCH_JAVA_OPTS:+, $BENCH_JAVA_OPTS}; RSS: VmRSS of the service, read every second"
    [[ -z "$KILL_LINE" ]] || echo "- ${FORMAT_LIST[0]}: $KILL_LINE"
    echo "- machine: $(pl_cpu_model), $(nproc) cores, $(pl_mem_total)"
    echo "- date: $(date -u +%Y-%m-%dT%H:%M:%SZ); git commit: $COMMIT_TEXT"
} >"$REPORT"
cat "$REPORT"
log "report written to $REPORT"
exit $FAILED
