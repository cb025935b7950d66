#!/usr/bin/env bash
# -------------------------------------------------------------------------------------------------
# load-tests/purchase-import-benchmark.sh: measures purchase history imports (POST /v1/admin/imports,
# kind PURCHASES) on real purchases, as the packaged service runs them; prints a markdown table.
#
# It starts its own PostgreSQL and Redis (the set-up of benchmark.sh), builds the service from the
# committed REF, and writes its files from a real purchase history (DATA: the UCI Online Retail
# lines, customer,invoice,date,sku,quantity,unit_price_minor), repeated COPIES times under other
# customer numbers (copy k of customer 17850 is k-17850) to reach a larger size. Then, in turn:
#   1. imports the members (one row per customer of every copy) and waits for DONE;
#   2. imports the purchases (history only) and measures rows/s and the service's peak RSS;
#   3. imports the same file again: every row existing, nothing counted twice;
#   4. imports the purchases with postPoints, their dates moved forward so that the last is 3 weeks
#      ago (most of them then earn points still valid), under other members (copies named p-k-…),
#      and checks that the ledger's earns are one per purchase posted and that reconciliation is
#      clean.
# Everything binds to 127.0.0.1 only. Must run as root (installs Debian packages if missing).
#
# Usage:
#   load-tests/purchase-import-benchmark.sh [options]
#
# Options (default in brackets):
#   --data FILE         the purchase lines (.csv or .csv.gz)   [../shared/data/online-retail-a/purchases.csv.gz]
#   --copies N          times the data is repeated under other customer numbers   [1]
#   --max-seconds S     longest wait for one import                               [1800]
#   --port P, --management-port P, --pg-port P, --redis-port P   as in benchmark.sh
#   --ref REF           the commit to build and measure                           [HEAD]
#   --keep              keep the work dir (PostgreSQL data, files)
#   -h, --help          print this help
#
# Environment: BENCH_WORK_DIR, BENCH_BUILD_CACHE, BENCH_JAVA_OPTS, MAVEN_ARGS as in benchmark.sh.
#
# Output: the markdown table on stdout (also written to
# load-tests/results/purchase-import-benchmark-<UTC time>.md); progress on stderr. Exit status is
# non-zero if a step fails or a check does not hold.
# -------------------------------------------------------------------------------------------------
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_DIR="$(cd "$SCRIPT_DIR/.." && pwd)"

DATA="$REPO_DIR/../shared/data/online-retail-a/purchases.csv.gz"
COPIES=1
MAX_SECONDS=1800
PORT=""
MANAGEMENT_PORT=""
PG_PORT=""
REDIS_PORT=""
REF="HEAD"
KEEP=0
HOST=127.0.0.1

PL_NAME=purchase-import-benchmark
# shellcheck source=lib.sh
source "$SCRIPT_DIR/lib.sh"

usage() {
    pl_usage "${BASH_SOURCE[0]}"
}

while [[ $# -gt 0 ]]; do
    case "$1" in
        --data) [[ -f "${2:-}" ]] || die "--data needs a file"; DATA="$2"; shift 2 ;;
        --copies) require_number "$1" "${2:-}"; COPIES="$2"; shift 2 ;;
        --max-seconds) require_number "$1" "${2:-}"; MAX_SECONDS="$2"; shift 2 ;;
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
[[ -f "$DATA" ]] || die "no purchase data at $DATA (--data)"
(( COPIES >= 1 )) || die "--copies must be at least 1"

pl_install_missing redis-server:redis-server curl:curl jq:jq python3:python3
pl_resolve_ports "service:PORT:--port" "management interface:MANAGEMENT_PORT:--management-port" \
    "PostgreSQL:PG_PORT:--pg-port" "Redis:REDIS_PORT:--redis-port"
pl_make_work_dir points-ledger-purchase-import
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

log "writing the files from $DATA, $COPIES cop(ies)"
python3 - "$DATA" "$COPIES" "$IMPORT_DIR" <<'PYTHON'
import csv, datetime, gzip, sys
data, copies, directory = sys.argv[1], int(sys.argv[2]), sys.argv[3]
opener = gzip.open if data.endswith(".gz") else open
with opener(data, "rt", newline="") as source:
    rows = list(csv.reader(source))
header, lines = rows[0], rows[1:]
latest = max(datetime.datetime.fromisoformat(line[2]) for line in lines)
# Moved forward so that the last purchase is three weeks ago (program time zone: UTC).
shift = (datetime.datetime.utcnow() - datetime.timedelta(days=21)).replace(microsecond=0) - latest
customers = sorted({line[0] for line in lines})
with open(f"{directory}/members.csv", "w", newline="") as out:
    writer = csv.writer(out)
    writer.writerow(["externalId", "name"])
    for prefix in ("", "p-"):
        for copy in range(copies):
            for customer in customers:
                writer.writerow([f"{prefix}{copy}-{customer}", f"Customer {customer}"])
with open(f"{directory}/purchases.csv", "w", newline="") as out, open(f"{directory}/recent.csv", "w", newline="") as recent:
    history, shifted = csv.writer(out), csv.writer(recent)
    history.writerow(header)
    shifted.writerow(header)
    for copy in range(copies):
        for line in lines:
            history.writerow([f"{copy}-{line[0]}"] + line[1:])
            moved = (datetime.datetime.fromisoformat(line[2]) + shift).isoformat()
            shifted.writerow([f"p-{copy}-{line[0]}", line[1], moved] + line[3:])
print(len(lines) * copies, len(customers) * copies * 2)
PYTHON
PURCHASE_ROWS=$(( $(wc -l <"$IMPORT_DIR/purchases.csv") - 1 ))
MEMBER_ROWS=$(( $(wc -l <"$IMPORT_DIR/members.csv") - 1 ))
log "  $PURCHASE_ROWS purchase lines, $MEMBER_ROWS members"

export POINTS_LEDGER_IMPORT_DIRECTORY="$IMPORT_DIR"
pl_start_service "$SERVICE_LOG"
pl_auth_args

rss_mb() {
    awk '/^VmRSS:/ { printf "%.0f", $2 / 1024 }' "/proc/$SERVICE_PID/status" 2>/dev/null || echo 0
}

# run_import BODY -> "job-json|elapsed-ms|peak-rss" once the job is no longer RUNNING
run_import() {
    local answer job_id started_ms peak=0 rss job status
    answer="$(curl -sS --max-time 120 "${AUTH_ARGS[@]}" -H 'Content-Type: application/json' -d "$1" \
        -w '\n%{http_code}' "$BASE_URL/v1/admin/imports")"
    [[ "${answer##*$'\n'}" == "202" ]] || die "the import $1 was not accepted: $answer"
    job_id="$(jq -r .jobId <<<"${answer%$'\n'*}")"
    started_ms=$(date +%s%3N)
    while true; do
        job="$(curl -sS --max-time 10 "${AUTH_ARGS[@]}" "$BASE_URL/v1/admin/imports/$job_id")"
        rss="$(rss_mb)"
        (( rss > peak )) && peak=$rss
        status="$(jq -r .status <<<"$job")"
        log "  $(jq -r '"\(.kind): \(.rowsRead) rows read, \(.rowsAccepted) accepted, \(.rowsExisting) existing, \(.rowsRefused) refused, \(.rowsPerSecond) rows/s"' <<<"$job"), RSS ${rss} MiB"
        [[ "$status" == "RUNNING" ]] || break
        (( $(date +%s%3N) - started_ms < MAX_SECONDS * 1000 )) || die "the import $1 did not finish in $MAX_SECONDS s"
        sleep 1
    done
    echo "$(jq -c . <<<"$job")|$(( $(date +%s%3N) - started_ms ))|$peak"
}

RESULT_LINES=()
FAILED=0
row_of() {   # row_of LABEL RESULT -> a table row
    local job="${2%%|*}" rest="${2#*|}"
    local elapsed_ms="${rest%%|*}" peak="${rest#*|}"
    RESULT_LINES+=("| $1 | $(jq -r .rowsRead <<<"$job") | $(jq -r .rowsAccepted <<<"$job") | $(jq -r .rowsExisting <<<"$job") | $(jq -r .rowsRefused <<<"$job") | $(jq -r .status <<<"$job") | $(awk -v ms="$elapsed_ms" 'BEGIN { printf "%.1f", ms / 1000 }') | $(awk -v rows="$(jq -r .rowsRead <<<"$job")" -v ms="$elapsed_ms" 'BEGIN { printf "%.0f", rows * 1000 / ms }') | $peak |")
}
check() {   # check TEXT CONDITION-RESULT
    if [[ "$2" == yes ]]; then CHECKS+=("- $1: yes"); else CHECKS+=("- $1: NO ($2)"); FAILED=1; fi
}
CHECKS=()

log "members"
members="$(run_import '{"kind":"MEMBERS","file":"members.csv"}')"
row_of "members ($MEMBER_ROWS)" "$members"

log "purchase history"
first="$(run_import '{"kind":"PURCHASES","file":"purchases.csv"}')"
row_of "purchases, history only" "$first"
purchases="$(pl_sql "SELECT count(*) FROM purchase_history WHERE member_id IN (SELECT member_id FROM member_external_ids WHERE external_id NOT LIKE 'p-%')")"
popularity="$(pl_sql "SELECT COALESCE(sum(buyers), 0) FROM item_buyers")"

log "the same purchase history again"
again="$(run_import '{"kind":"PURCHASES","file":"purchases.csv"}')"
row_of "purchases, the same file again" "$again"
check "the file again: every row existing, no purchase and no count added" \
    "$([[ "$(jq -r .rowsExisting <<<"${again%%|*}")" == "$(jq -r .rowsAccepted <<<"${first%%|*}")" \
        && "$(pl_sql "SELECT count(*) FROM purchase_history WHERE member_id IN (SELECT member_id FROM member_external_ids WHERE external_id NOT LIKE 'p-%')")" == "$purchases" \
        && "$(pl_sql "SELECT COALESCE(sum(buyers), 0) FROM item_buyers")" == "$popularity" ]] && echo yes || echo "counts moved")"

log "recent purchases, posting their points"
posting="$(run_import '{"kind":"PURCHASES","file":"recent.csv","postPoints":true}')"
row_of "purchases, postPoints (moved to the last year)" "$posting"
earns="$(pl_sql "SELECT count(*), COALESCE(sum(points), 0) FROM transfers WHERE kind = 'EARN' AND idempotency_key LIKE 'purchase-history:%'")"
linked="$(pl_sql "SELECT count(*) FROM purchase_history WHERE transfer_id IS NOT NULL")"
pending="$(pl_sql "SELECT count(*) FROM purchase_history WHERE posting_pending")"
check "one earn per purchase posted ($earns earns|points; $linked purchases linked; $pending claims open)" \
    "$([[ "${earns%%|*}" == "$linked" && "$pending" == 0 ]] && echo yes || echo "earns and linked purchases differ")"
reconciliation="$(curl -sS --max-time 120 "${AUTH_ARGS[@]}" "$BASE_URL/v1/admin/reconciliation")"
check "reconciliation clean after posting ($(jq -r '"\(.membersChecked) members checked"' <<<"$reconciliation"))" \
    "$([[ "$(jq -r .mismatchCount <<<"$reconciliation")" == 0 ]] && echo yes || echo "$reconciliation")"

REPORT="$SCRIPT_DIR/results/purchase-import-benchmark-$(date -u +%Y%m%dT%H%M%SZ).md"
mkdir -p "$(dirname "$REPORT")"
{
    echo "#### points-ledger purchase history import benchmark"
    echo
    echo "| import | rows | accepted | existing | refused | status | seconds (202 to DONE) | rows/s | peak RSS, MiB |"
    echo "|---|---:|---:|---:|---:|---|---:|---:|---:|"
    printf '%s\n' "${RESULT_LINES[@]}"
    echo
    printf '%s\n' "${CHECKS[@]}"
    echo "- data: $(basename "$DATA") x $COPIES ($PURCHASE_ROWS lines); chunks of 1 000 rows; service: java -jar (prod profile)${BENCH_JAVA_OPTS:+, $BENCH_JAVA_OPTS}"
    echo "- machine: $(pl_cpu_model), $(nproc) cores, $(pl_mem_total)"
    echo "- date: $(date -u +%Y-%m-%dT%H:%M:%SZ); git commit: $COMMIT_TEXT"
} >"$REPORT"
cat "$REPORT"
log "report written to $REPORT"
exit $FAILED
