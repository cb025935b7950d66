#!/usr/bin/env bash
# -------------------------------------------------------------------------------------------------
# load-tests/announcement-benchmark.sh: measures an announcement to many members as the packaged
# service sends it, and the earn rate while it does, and prints a markdown results table.
#
# It starts its own PostgreSQL and Redis (the set-up of benchmark.sh), a real SMTP server
# (GreenMail standalone, fetched from Maven Central) and nginx answering 202 to every POST as the
# SMS and push providers, builds the service from the committed REF and starts it (java -jar, prod
# profile) pointed at them, with each channel's rate limit at --rate. It imports MEMBERS members
# through POST /v1/admin/imports (so each has an encrypted email and phone, as in production), then
# gives them consents straight in PostgreSQL (a fixture, as no API states a million members'
# consents at once): by default 50 % push, 30 % email, 20 % SMS as the preferred and only
# consented channel (--mix).
#
# Then: wrk earns for --earn-seconds with no announcement (the baseline); an announcement to every
# member (NORMAL: one message each) is made, and wrk earns again for --earn-seconds while it is
# planned and sent; the report is polled every 5 s until no message is PENDING; then wrk earns once
# more (the ledger has grown meanwhile: before and after bracket the run). It reports the earn
# rates and the ratio of the one during to the mean of the two without, the time to plan, and the messages handed to the providers per
# second (SENT, from the announcement's report) during the earn load and over the whole send.
# Everything binds to 127.0.0.1 only. Must run as root (installs Debian packages if missing).
#
# Usage:
#   load-tests/announcement-benchmark.sh [options]
#
# Options (default in brackets):
#   --members N         members imported and announced to                        [1000000]
#   --rate R            each channel's rate limit, messages per second             [20000]
#   --mix P,E,S         percent of members on push, email and SMS (sum 100)         [50,30,20]
#   --earn-seconds S    each wrk run                                               [30]
#   --connections C     wrk connections                                            [32]
#   --max-seconds S     longest wait for the announcement to be sent               [1800]
#   --port P, --management-port P, --pg-port P, --redis-port P   as in benchmark.sh
#   --ref REF           the commit to build and measure                           [HEAD]
#   --keep              keep the work dir
#   -h, --help          print this help
#
# Environment: BENCH_WORK_DIR, BENCH_BUILD_CACHE, BENCH_JAVA_OPTS, MAVEN_ARGS as in benchmark.sh.
#
# Output: the markdown table on stdout (also written to
# load-tests/results/announcement-benchmark-<UTC time>.md); progress on stderr. Exit status is
# non-zero if a step fails or a message ends FAILED.
# -------------------------------------------------------------------------------------------------
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_DIR="$(cd "$SCRIPT_DIR/.." && pwd)"

MEMBERS=1000000
RATE=20000
MIX=50,30,20
EARN_SECONDS=30
CONNECTIONS=32
MAX_SECONDS=1800
PORT=""
MANAGEMENT_PORT=""
PG_PORT=""
REDIS_PORT=""
REF="HEAD"
KEEP=0
HOST=127.0.0.1
GREENMAIL_VERSION=2.1.3

PL_NAME=announcement-benchmark
# shellcheck source=lib.sh
source "$SCRIPT_DIR/lib.sh"

usage() {
    pl_usage "${BASH_SOURCE[0]}"
}

while [[ $# -gt 0 ]]; do
    case "$1" in
        --members) require_number "$1" "${2:-}"; MEMBERS="$2"; shift 2 ;;
        --rate) require_number "$1" "${2:-}"; RATE="$2"; shift 2 ;;
        --mix) [[ "${2:-}" =~ ^[0-9]+,[0-9]+,[0-9]+$ ]] || die "--mix needs three percents: push,email,sms"; MIX="$2"; shift 2 ;;
        --earn-seconds) require_number "$1" "${2:-}"; EARN_SECONDS="$2"; shift 2 ;;
        --connections) require_number "$1" "${2:-}"; CONNECTIONS="$2"; shift 2 ;;
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
IFS=',' read -r PUSH_PERCENT EMAIL_PERCENT SMS_PERCENT <<<"$MIX"
(( PUSH_PERCENT + EMAIL_PERCENT + SMS_PERCENT == 100 )) || die "--mix: the percents must add up to 100"
[[ $(id -u) -eq 0 ]] || die "run as root (installs Debian packages and runs PostgreSQL with runuser)"

pl_install_missing redis-server:redis-server curl:curl jq:jq python3:python3 wrk:wrk nginx:nginx-light
pl_resolve_ports "service:PORT:--port" "management interface:MANAGEMENT_PORT:--management-port" \
    "PostgreSQL:PG_PORT:--pg-port" "Redis:REDIS_PORT:--redis-port"
pl_make_work_dir points-ledger-announcement
IMPORT_DIR="$WORK_DIR/imports"
SERVICE_LOG="$WORK_DIR/service.log"
MEMBERS_FILE="$WORK_DIR/members.txt"
mkdir -p "$IMPORT_DIR"
SMTP_PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
GREENMAIL_API_PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
PROVIDER_PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
SMTP_PID=""
NGINX_PID=""
PURGE_PID=""
cleanup_hook() {
    [[ -z "$PURGE_PID" ]] || kill "$PURGE_PID" 2>/dev/null || true
    [[ -z "$SMTP_PID" ]] || kill "$SMTP_PID" 2>/dev/null || true
    [[ -z "$NGINX_PID" ]] || kill "$NGINX_PID" 2>/dev/null || true
    log "service log: $SERVICE_LOG"
}
pl_install_traps

pl_build
COMMIT_TEXT="$(pl_commit_text)"
pl_start_postgres
pl_start_redis

# ------------------------------------------------------------------------------ providers
log "starting nginx on 127.0.0.1:$PROVIDER_PORT as the SMS and push provider (202 to every POST)"
mkdir -p "$WORK_DIR/nginx"
cat >"$WORK_DIR/nginx/nginx.conf" <<NGINX
worker_processes 1;
pid $WORK_DIR/nginx/nginx.pid;
error_log $WORK_DIR/nginx/error.log;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path $WORK_DIR/nginx/body;
    client_max_body_size 10m;
    server {
        listen 127.0.0.1:$PROVIDER_PORT;
        location / { return 202; }
    }
}
NGINX
nginx -c "$WORK_DIR/nginx/nginx.conf" -g 'daemon off;' &
NGINX_PID=$!

log "fetching GreenMail $GREENMAIL_VERSION (standalone) and starting its SMTP server on 127.0.0.1:$SMTP_PORT"
(cd "$REPO_DIR" && ./mvnw -q ${MAVEN_ARGS:-} dependency:copy -Dartifact="com.icegreen:greenmail-standalone:$GREENMAIL_VERSION" \
    -DoutputDirectory="$WORK_DIR") || die "GreenMail could not be fetched"
java -Dgreenmail.smtp.hostname=127.0.0.1 -Dgreenmail.smtp.port="$SMTP_PORT" \
    -Dgreenmail.api.hostname=127.0.0.1 -Dgreenmail.api.port="$GREENMAIL_API_PORT" \
    -jar "$WORK_DIR/greenmail-standalone-$GREENMAIL_VERSION.jar" >"$WORK_DIR/greenmail.log" 2>&1 &
SMTP_PID=$!
for _ in $(seq 1 60); do
    (exec 3<>"/dev/tcp/127.0.0.1/$SMTP_PORT") 2>/dev/null && break
    sleep 0.5
done
(exec 3<>"/dev/tcp/127.0.0.1/$SMTP_PORT") 2>/dev/null || pl_die_with_log "$WORK_DIR/greenmail.log" "GreenMail did not start"
# GreenMail keeps every email in memory and slows down as they pile up: a real SMTP relay passes
# them on. Its API purges them every 2 s, so that the stub stays as fast as it starts.
while sleep 2; do
    curl -s -o /dev/null --max-time 5 -X POST "http://127.0.0.1:$GREENMAIL_API_PORT/api/mail/purge" || true
done &
PURGE_PID=$!

# ------------------------------------------------------------------------------ members
log "writing $MEMBERS members as CSV"
python3 "$SCRIPT_DIR/import-files.py" --format csv --rows "$MEMBERS" --bad-percent 0 --prefix bench-announce \
    --bad-rows "$WORK_DIR/bad.txt" "$IMPORT_DIR/members.csv"

export POINTS_LEDGER_IMPORT_DIRECTORY="$IMPORT_DIR"
pl_start_service "$SERVICE_LOG" \
    -Dpoints-ledger.communication.smtp.host=127.0.0.1 -Dpoints-ledger.communication.smtp.port="$SMTP_PORT" \
    -Dpoints-ledger.communication.sms.url="http://127.0.0.1:$PROVIDER_PORT/sms" \
    -Dpoints-ledger.communication.push.url="http://127.0.0.1:$PROVIDER_PORT/push" \
    -Dpoints-ledger.communication.email.rate-per-second="$RATE" \
    -Dpoints-ledger.communication.sms.rate-per-second="$RATE" \
    -Dpoints-ledger.communication.push.rate-per-second="$RATE"
pl_auth_args

log "importing the members"
answer="$(curl -sS --max-time 120 "${AUTH_ARGS[@]}" -H 'Content-Type: application/json' \
    -d '{"kind":"MEMBERS","file":"members.csv"}' -w '\n%{http_code}' "$BASE_URL/v1/admin/imports")"
[[ "${answer##*$'\n'}" == "202" ]] || die "the import was not accepted: $answer"
job_id="$(jq -r .jobId <<<"${answer%$'\n'*}")"
while true; do
    job="$(curl -sS --max-time 10 "${AUTH_ARGS[@]}" "$BASE_URL/v1/admin/imports/$job_id")"
    [[ "$(jq -r .status <<<"$job")" == "RUNNING" ]] || break
    sleep 2
done
[[ "$(jq -r .rowsAccepted <<<"$job")" == "$MEMBERS" ]] || die "the import accepted $(jq -r .rowsAccepted <<<"$job") of $MEMBERS"

log "giving the members their consents ($PUSH_PERCENT % push, $EMAIL_PERCENT % email, $SMS_PERCENT % SMS) in PostgreSQL"
timeout 600 "${PSQL[@]}" >/dev/null <<SQL
BEGIN;
CREATE TEMP TABLE chosen ON COMMIT DROP AS
    SELECT member_id, CASE WHEN n % 100 < $PUSH_PERCENT THEN 'PUSH' WHEN n % 100 < $(( PUSH_PERCENT + EMAIL_PERCENT )) THEN 'EMAIL'
                           ELSE 'SMS' END AS channel
      FROM (SELECT member_id, row_number() OVER (ORDER BY member_id) AS n FROM members) numbered;
INSERT INTO member_contact_consents (member_id, channel, granted, changed_at, source)
    SELECT member_id, channel, true, now(), 'IMPORT' FROM chosen;
INSERT INTO member_contact_preferences (member_id, preferred_channel, updated_at)
    SELECT member_id, channel, now() FROM chosen;
COMMIT;
ANALYZE;
SQL
"${PSQL[@]}" -Atc "\\copy (SELECT member_id FROM members) TO '$MEMBERS_FILE'" >/dev/null

# ------------------------------------------------------------------------------ measure
earn_rate() {   # earn_rate PHASE -> requests/s of a wrk earn run
    local out="$WORK_DIR/wrk-earn-$1.txt"
    BENCH_WRK_DIR="$SCRIPT_DIR/wrk" BENCH_MEMBERS_FILE="$MEMBERS_FILE" BENCH_RUN_ID="$1-$$" BENCH_PHASE="$1" \
    BENCH_CONNECTIONS="$CONNECTIONS" BENCH_AUTH_HEADER="${BENCH_AUTH_HEADER:-}" \
        wrk -t2 -c"$CONNECTIONS" -d"${EARN_SECONDS}s" --timeout 10s -s "$SCRIPT_DIR/wrk/earn.lua" "$BASE_URL" >"$out" 2>&1 \
        || { cat "$out" >&2; die "wrk failed ($1)"; }
    awk '/^Requests\/sec:/ { printf "%.0f", $2 }' "$out"
}
sent() {   # sent ANNOUNCEMENT -> messages SENT so far, all channels
    curl -sS --max-time 30 "${AUTH_ARGS[@]}" "$BASE_URL/v1/admin/announcements/$1" \
        | jq '[.report[] | .SENT // 0] | add // 0'
}

log "warming up (earns, ${EARN_SECONDS} s), then the baseline earn rate"
earn_rate warmup >/dev/null
BASELINE="$(earn_rate baseline)"
log "baseline: $BASELINE earns/s"

answer="$(curl -sS --max-time 60 "${AUTH_ARGS[@]}" -H 'Content-Type: application/json' -H "Idempotency-Key: bench-$$" \
    -d '{"contents":{"en":{"title":"Double points this weekend","body":"Every purchase earns double points on Saturday and Sunday."}},"defaultLanguage":"en"}' \
    -w '\n%{http_code}' "$BASE_URL/v1/admin/announcements")"
[[ "${answer##*$'\n'}" == "202" ]] || die "the announcement was not accepted: $answer"
ANNOUNCEMENT="$(jq -r .announcementId <<<"${answer%$'\n'*}")"
STARTED_MS=$(date +%s%3N)
log "announcement $ANNOUNCEMENT made; earning for ${EARN_SECONDS} s while it is sent"
DURING="$(earn_rate during)"
SENT_DURING="$(sent "$ANNOUNCEMENT")"
DURING_MS=$(( $(date +%s%3N) - STARTED_MS ))
log "during: $DURING earns/s; $SENT_DURING messages sent in $(( DURING_MS / 1000 )) s"

PLANNED_MS=""
while true; do
    report="$(curl -sS --max-time 30 "${AUTH_ARGS[@]}" "$BASE_URL/v1/admin/announcements/$ANNOUNCEMENT")"
    status="$(jq -r .status <<<"$report")"
    [[ -n "$PLANNED_MS" || "$status" != "PLANNED" ]] || PLANNED_MS=$(( $(date +%s%3N) - STARTED_MS ))
    pending="$(jq '[.report[] | .PENDING // 0] | add // 0' <<<"$report")"
    log "  $status, $(jq -r .membersPlanned <<<"$report") members planned, $(jq -c .report <<<"$report")"
    [[ "$status" != "PLANNED" || "$pending" != "0" ]] || break
    (( $(date +%s%3N) - STARTED_MS < MAX_SECONDS * 1000 )) || die "the announcement was not sent in $MAX_SECONDS s"
    sleep 5
done
TOTAL_MS=$(( $(date +%s%3N) - STARTED_MS ))
# The same run once more with the announcement sent: how much of the difference is the announcement,
# and how much the ledger grown by the earns before (events waiting in the outbox, the tables).
AFTER="$(earn_rate after)"
log "after: $AFTER earns/s"
SENT_TOTAL="$(jq '[.report[] | .SENT // 0] | add // 0' <<<"$report")"
FAILED_TOTAL="$(jq '[.report[] | .FAILED // 0] | add // 0' <<<"$report")"

REPORT="$SCRIPT_DIR/results/announcement-benchmark-$(date -u +%Y%m%dT%H%M%SZ).md"
mkdir -p "$(dirname "$REPORT")"
{
    echo "#### points-ledger announcement benchmark"
    echo
    echo "| members | messages sent | failed | planned in, s | sent in, s | sent/s overall | sent/s during the earn load | earns/s before | earns/s during | earns/s after | during ÷ mean(before, after) |"
    echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    echo "| $MEMBERS | $SENT_TOTAL | $FAILED_TOTAL | $(awk -v ms="$PLANNED_MS" 'BEGIN { printf "%.1f", ms / 1000 }') |" \
        "$(awk -v ms="$TOTAL_MS" 'BEGIN { printf "%.1f", ms / 1000 }') |" \
        "$(awk -v n="$SENT_TOTAL" -v ms="$TOTAL_MS" 'BEGIN { printf "%.0f", n * 1000 / ms }') |" \
        "$(awk -v n="$SENT_DURING" -v ms="$DURING_MS" 'BEGIN { printf "%.0f", n * 1000 / ms }') |" \
        "$BASELINE | $DURING | $AFTER | $(awk -v a="$DURING" -v b="$BASELINE" -v c="$AFTER" 'BEGIN { printf "%.2f", 2 * a / (b + c) }') |"
    echo
    echo "- one NORMAL announcement to every member; channels: $PUSH_PERCENT % push, $EMAIL_PERCENT % email, $SMS_PERCENT % SMS (one each);" \
        "rate limit $RATE/s per channel; SMTP: GreenMail $GREENMAIL_VERSION standalone; SMS and push: nginx answering 202"
    echo "- earns: wrk -t2 -c$CONNECTIONS -d${EARN_SECONDS}s load-tests/wrk/earn.lua, after a warm-up run; service: java -jar" \
        "(prod profile)${BENCH_JAVA_OPTS:+, $BENCH_JAVA_OPTS}; everything on one machine"
    echo "- machine: $(pl_cpu_model), $(nproc) cores, $(pl_mem_total)"
    echo "- date: $(date -u +%Y-%m-%dT%H:%M:%SZ); git commit: $COMMIT_TEXT"
} >"$REPORT"
cat "$REPORT"
log "report written to $REPORT"
[[ "$FAILED_TOTAL" == "0" ]]
