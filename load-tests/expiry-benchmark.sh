#!/usr/bin/env bash
# -------------------------------------------------------------------------------------------------
# load-tests/expiry-benchmark.sh: measures the scheduled point-expiry job as the service runs it
# (ExpiryJobs.expirePoints -> LedgerService.expirePoints -> LedgerWriter.write) on a backlog of
# expired lots, and prints a markdown results table.
#
# It starts its own PostgreSQL (Debian's server binaries, as the postgres user, data dir under the
# work dir, synchronous_commit=on; the same set-up as benchmark.sh) and Redis, builds the service
# from the committed REF as benchmark.sh --ref does (git archive, ./mvnw package), applies that
# tree's Flyway migrations src/main/resources/db/migration/V*.sql in version order with psql as
# the owner role (one transaction per file, as Flyway does), seeds members whose point lots are
# all past their expiry, then starts the service (java -jar target/quarkus-app/quarkus-run.jar,
# prod profile) against that PostgreSQL with the point-expiry job every tick of the scheduler and
# --batch due lots per run, the other jobs idle, and polls PostgreSQL every second until no due
# lot is left. Job runs cannot be timed one by one from outside any more: it reports the time from
# launching the service to the last run (read from the service's log line of each run), lots/s and
# members/s, and the gaps between runs. Finally it stops the service, verifies that no due points
# are left and that every account reconciles, and stops everything it started. Everything binds
# to 127.0.0.1 only. Must run as root (installs Debian packages if missing, uses runuser).
#
# Why the service's Flyway does not migrate: the seed has to be in place before the service
# starts, or the job would run on a half-seeded database. So psql migrates and seeds first, and the
# service's Flyway baselines at the last version applied (quarkus.flyway.baseline-on-migrate):
# it finds nothing to do.
#
# Seed: N members, each with an account; the L lots are spread round-robin over the members
# (L/N each, the first L mod N members one more). Each member with lots gets ONE EARN transfer
# (400 days ago) of the sum of its lots, the account's posted balance equals that sum, and each
# lot (remaining = points per lot) references that transfer, with expires_at = now() - 1 day - a
# random number of minutes below 30 days, credited with its points (a lot's credit is the lot's
# own, not a lot_movements row, as the service writes it since V15). Then VACUUM
# (ANALYZE) and CHECKPOINT, so that the measured runs start from a settled database.
#
# Usage:
#   load-tests/expiry-benchmark.sh [options]
#
# Options (default in brackets):
#   --lots L            expiring lots in total                                    [1000000]
#   --members N         members (and accounts) the lots are spread over           [100000]
#   --batch B           due lots looked at per job run (the service's
#                       points-ledger.jobs.point-expiry-batch-size, at most 50000) [1000]
#   --points-per-lot P  remaining points of each lot                              [10]
#   --max-seconds S     stop the service S seconds after launching it and report the
#                       partial result and its rate                               [1800]
#   --call-timeout S    longest wait for the number of due lots to fall (for the next
#                       job run) before giving up                                 [600]
#   --pg-port P         port of the benchmark's PostgreSQL                        [25432]
#   --redis-port P      port of the benchmark's Redis (the service's balance cache) [26379]
#   --port P            HTTP port of the service                                  [28090]
#   --management-port P the service's management port (health, metrics)          [29000]
#                       A port not given that is taken gives way to the next free port after
#                       it (logged); a port given must be free.
#   --ref REF           commit that is built and whose migrations are applied (exported with
#                       git archive, so that edits in progress in src/ are not measured) [HEAD]
#   --working-tree      measure the working tree instead of --ref: its migrations, and its
#                       target/quarkus-app/quarkus-run.jar (built when missing or with --build)
#   --build             with --working-tree: (re)build the jar first
#                       (./mvnw -B -q package -DskipTests)
#   --keep              keep the PostgreSQL data dir (and the --ref build) after the run
#                       (removed by default; logs and per-run lines are always kept)
#   -h, --help          print this help
#
# Environment:
#   BENCH_WORK_DIR      work dir for the PostgreSQL data, logs, migrations and per-run lines
#                       [a new /tmp/points-ledger-expiry.XXXXXX]
#   BENCH_BUILD_CACHE   export and build REF in BENCH_BUILD_CACHE/build-<commit> and keep it
#                       there, so that the next run of the same commit skips the build [none]
#   BENCH_JAVA_OPTS     extra JVM options for the service, e.g. "-Xmx512m"        [none]
#   MAVEN_ARGS          read by Maven 3.9: MAVEN_ARGS=-o builds offline           [none]
#
# Output: the markdown table on stdout (also written to
# load-tests/results/expiry-benchmark-<UTC time>.md, a git-ignored folder); progress goes to
# stderr; one line per job run goes to runs.csv in the work dir. Exit status is non-zero if a step
# fails or the verification fails (the table is still printed in the latter case).
# -------------------------------------------------------------------------------------------------
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_DIR="$(cd "$SCRIPT_DIR/.." && pwd)"
MIGRATIONS_PATH="src/main/resources/db/migration"

LOTS=1000000
MEMBERS=100000
BATCH=1000
POINTS_PER_LOT=10
MAX_SECONDS=1800
CALL_TIMEOUT=600
PORT=""              # empty: the default of lib.sh, or the next free port
MANAGEMENT_PORT=""
PG_PORT=""
REDIS_PORT=""
REF="HEAD"
WORKING_TREE=0
BUILD=0
KEEP=0
HOST=127.0.0.1
# The job's interval. Quarkus's simple scheduler checks its triggers once a second
# (SimpleScheduler.CHECK_PERIOD) and skips a tick while the previous run is still going
# (ConcurrentExecution.SKIP): any interval below a second fires on every tick, one run a second at
# most, back to back when a run takes longer.
JOB_INTERVAL=PT0.1S
# The other periodic work, out of the way: the first run of an `every` job comes at start-up
# (nothing to do on this seed), the next one after a day; the outbox relay's first look comes
# after its interval. Without a broker the EXPIRY events stay in the outbox, as they did when the
# job was a function called from psql.
IDLE_INTERVAL=PT24H
# The service's reactive pool sets statement_timeout=5000 ms: a longer statement of a run is cancelled.
SERVICE_STATEMENT_TIMEOUT_MS=5000
SEED_TIMEOUT_S=3600
POLL_SECONDS=1

PL_NAME=expiry-benchmark
# shellcheck source=lib.sh
source "$SCRIPT_DIR/lib.sh"

usage() {
    pl_usage "${BASH_SOURCE[0]}"
}

while [[ $# -gt 0 ]]; do
    case "$1" in
        --lots) require_number "$1" "${2:-}"; LOTS="$2"; shift 2 ;;
        --members) require_number "$1" "${2:-}"; MEMBERS="$2"; shift 2 ;;
        --batch) require_number "$1" "${2:-}"; BATCH="$2"; shift 2 ;;
        --points-per-lot) require_number "$1" "${2:-}"; POINTS_PER_LOT="$2"; shift 2 ;;
        --max-seconds) require_number "$1" "${2:-}"; MAX_SECONDS="$2"; shift 2 ;;
        --call-timeout) require_number "$1" "${2:-}"; CALL_TIMEOUT="$2"; shift 2 ;;
        --pg-port) require_number "$1" "${2:-}"; PG_PORT="$2"; shift 2 ;;
        --redis-port) require_number "$1" "${2:-}"; REDIS_PORT="$2"; shift 2 ;;
        --port) require_number "$1" "${2:-}"; PORT="$2"; shift 2 ;;
        --management-port) require_number "$1" "${2:-}"; MANAGEMENT_PORT="$2"; shift 2 ;;
        --ref) [[ -n "${2:-}" ]] || die "--ref needs a commit"; REF="$2"; shift 2 ;;
        --working-tree) WORKING_TREE=1; shift ;;
        --build) BUILD=1; shift ;;
        --keep) KEEP=1; shift ;;
        -h|--help) usage; exit 0 ;;
        *) usage >&2; die "unknown option '$1'" ;;
    esac
done
(( BATCH <= 50000 )) || die "--batch $BATCH exceeds the service's maximum point-expiry-batch-size (50000)"
(( LOTS * POINTS_PER_LOT <= 1000000000000 )) || die "--lots x --points-per-lot is implausibly large"
[[ $WORKING_TREE -eq 1 || $BUILD -eq 0 ]] || die "--build goes with --working-tree (a --ref build is made when missing)"
[[ $(id -u) -eq 0 ]] || die "run as root (installs Debian packages and runs PostgreSQL with runuser)"
# lib.sh's pl_build: an empty REF means the working tree.
[[ $WORKING_TREE -eq 0 ]] || REF=""

LOADAVG_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"

# ------------------------------------------------------------------------------ dependencies
pl_install_missing redis-server:redis-server curl:curl jq:jq
command -v git >/dev/null 2>&1 || die "git is not on the PATH"
pl_resolve_ports "service:PORT:--port" "management interface:MANAGEMENT_PORT:--management-port" \
    "PostgreSQL:PG_PORT:--pg-port" "Redis:REDIS_PORT:--redis-port"

# ------------------------------------------------------------------------------ work dir, cleanup
pl_make_work_dir points-ledger-expiry
SCHEMA_DIR="$WORK_DIR/migrations"
RUNS_CSV="$WORK_DIR/runs.csv"
SERVICE_LOG="$WORK_DIR/service.log"
POLL_LOG="$WORK_DIR/poll.csv"

cleanup_hook() {   # called by lib.sh's exit trap before it stops the service and PostgreSQL
    log "service log: $SERVICE_LOG; per-run lines: $RUNS_CSV"
}
pl_install_traps

# ------------------------------------------------------------------------------ build
# The jar and the migrations come from the same tree: the --ref export (or the working tree).
pl_build
COMMIT_TEXT="$(pl_commit_text)"

# ------------------------------------------------------------------------------ migrations
rm -rf -- "$SCHEMA_DIR"
mkdir -p "$SCHEMA_DIR"
cp "$BUILD_DIR/$MIGRATIONS_PATH"/V*.sql "$SCHEMA_DIR"/ || die "no migrations in $BUILD_DIR/$MIGRATIONS_PATH"
if [[ -z "$REF" ]]; then
    SCHEMA_SOURCE="working tree ($(git -C "$REPO_DIR" rev-parse --short HEAD 2>/dev/null || echo unknown)"
    if [[ -n "$(git -C "$REPO_DIR" status --porcelain -- "$MIGRATIONS_PATH" 2>/dev/null)" ]]; then
        SCHEMA_SOURCE="$SCHEMA_SOURCE with uncommitted migration changes"
    fi
    SCHEMA_SOURCE="$SCHEMA_SOURCE)"
else
    SCHEMA_SOURCE="$REF_COMMIT (--ref $REF)"
fi
# Flyway's order: by version (the part between V and __, compared as dotted numbers).
mapfile -t MIGRATIONS < <(
    for file in "$SCHEMA_DIR"/V*__*.sql; do
        [[ -f "$file" ]] || continue
        name="$(basename "$file")"
        version="${name#V}"
        version="${version%%__*}"
        printf '%s\t%s\n' "${version//_/.}" "$file"
    done | sort -t$'\t' -k1,1V | cut -f2)
[[ ${#MIGRATIONS[@]} -gt 0 ]] || die "no V*__*.sql migrations found in $SCHEMA_DIR"
LAST_VERSION="$(basename "${MIGRATIONS[-1]}")"
LAST_VERSION="${LAST_VERSION#V}"
LAST_VERSION="${LAST_VERSION%%__*}"
LAST_VERSION="${LAST_VERSION//_/.}"
# The service's Flyway baselines at LAST_VERSION and so never compares the jar's migrations with
# the ones applied here: a working-tree jar built before a migration was added or renamed would
# run on a schema it was not built for. Zip entry names are stored uncompressed.
for migration in "${MIGRATIONS[@]}"; do
    grep -qa "db/migration/$(basename "$migration")" "$(dirname "$JAR")"/app/*.jar \
        || die "$JAR does not hold $(basename "$migration"): rebuild it (--build)"
done

# ------------------------------------------------------------------------------ PostgreSQL
pl_start_postgres   # the same server settings as benchmark.sh; sets PSQL
pl_start_redis      # the service's balance cache: each run stores the balances it changed

sql_value() {   # sql_value SQL -> the single value it selects
    timeout "$SEED_TIMEOUT_S" "${PSQL[@]}" -A -t -c "$1"
}

# As the owner role, which Flyway connects as: the schema is owned as in production, and V12's
# grants are what the runtime role, the service's, gets. Flyway's one placeholder, the runtime
# role that V12 grants, is filled in as Flyway would.
OWNER_PSQL=("$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$HOST" -p "$PG_PORT" -U "$PL_DB_OWNER" -d postgres)
for migration in "${MIGRATIONS[@]}"; do
    log "applying $(basename "$migration")"
    sed "s/\${runtime_role}/$PL_DB_RUNTIME/g" "$migration" \
        | timeout 300 "${OWNER_PSQL[@]}" --single-transaction -f - >>"$WORK_DIR/migrations.log" 2>&1 \
        || { tail -n 20 "$WORK_DIR/migrations.log" >&2; die "migration $(basename "$migration") failed"; }
done
MIGRATION_NAMES="$(for migration in "${MIGRATIONS[@]}"; do basename "$migration" .sql; done | paste -sd, - | sed 's/,/, /g')"

# ------------------------------------------------------------------------------ seeding
log "seeding $MEMBERS members and $LOTS expired lots of $POINTS_PER_LOT points"
seed_start=$(date +%s%N)
timeout "$SEED_TIMEOUT_S" "${PSQL[@]}" -v lots="$LOTS" -v members="$MEMBERS" -v points="$POINTS_PER_LOT" \
    >"$WORK_DIR/seed.log" 2>&1 <<'SQL' || { tail -n 20 "$WORK_DIR/seed.log" >&2; die "seeding failed"; }
BEGIN;
CREATE TEMP TABLE seed_members ON COMMIT DROP AS
SELECT i AS idx, gen_random_uuid() AS member_id, gen_random_uuid() AS transfer_id,
       (:lots / :members + CASE WHEN i < :lots % :members THEN 1 ELSE 0 END)::bigint AS lot_count
  FROM generate_series(0, :members - 1) AS i;
CREATE UNIQUE INDEX ON seed_members (idx);
ANALYZE seed_members;

INSERT INTO members (member_id, name, enrollment_channel, enrolled_at)
SELECT member_id, 'Expiry ' || idx, CASE WHEN idx % 2 = 0 THEN 'ONLINE' ELSE 'OFFLINE' END,
       now() - interval '400 days'
  FROM seed_members ORDER BY idx;

INSERT INTO member_accounts (member_id, posted, version, updated_at)
SELECT member_id, lot_count * :points, CASE WHEN lot_count > 0 THEN 1 ELSE 0 END, now() - interval '400 days'
  FROM seed_members ORDER BY idx;

-- One EARN per member with lots: the source of all its lots (points > 0 is required).
INSERT INTO transfers (transfer_id, kind, member_id, points, posted_delta, held_delta, partner_id, channel,
                       order_id, occurred_at, recorded_at, metadata)
SELECT transfer_id, 'EARN', member_id, lot_count * :points, lot_count * :points, 0, 'operator', 'POS',
       'expiry-seed-' || idx, now() - interval '400 days', now() - interval '400 days', '{"items": []}'::jsonb
  FROM seed_members WHERE lot_count > 0 ORDER BY idx;

-- Lot g belongs to member g mod N: a member's lots are spread over the table, as lots earned
-- over time are. All expired: 1 day to 30 days ago.
INSERT INTO point_lots (member_id, source_transfer_id, expires_at, remaining, credited)
SELECT s.member_id, s.transfer_id,
       now() - interval '1 day' - floor(random() * 43200) * interval '1 minute', :points, :points
  FROM generate_series(0, :lots - 1) AS g
  JOIN seed_members s ON s.idx = g % :members;
COMMIT;
SQL
log "VACUUM (ANALYZE) and CHECKPOINT"
timeout "$SEED_TIMEOUT_S" "${PSQL[@]}" -c 'VACUUM (ANALYZE)' -c 'CHECKPOINT' >>"$WORK_DIR/seed.log" 2>&1 \
    || { tail -n 20 "$WORK_DIR/seed.log" >&2; die "VACUUM or CHECKPOINT failed"; }
seed_seconds=$(awk -v s="$seed_start" -v e="$(date +%s%N)" 'BEGIN { printf "%.1f", (e - s) / 1e9 }')

row="$(sql_value "
    SELECT count(*), COALESCE(sum(remaining), 0), count(DISTINCT member_id)
      FROM point_lots WHERE remaining > 0 AND expires_at <= now()")"
read -r due_lots_before due_points_before members_with_lots <<<"${row//|/ }"
[[ "$due_lots_before" -eq "$LOTS" ]] || die "seeded $due_lots_before due lots, expected $LOTS"
log "seeded in ${seed_seconds}s: $due_lots_before due lots ($due_points_before points) of $members_with_lots members"

# ------------------------------------------------------------------------------ the job runs
# ExpiryJobs logs one line per run that expired something; its time (the log's milliseconds) is
# when the run's transaction had committed. The service logs in the JVM's default time zone, the
# same as `date` here.
RUN_LINE_PATTERN="Expiry job: [0-9]+ members' points expired"
run_lines() {   # -> "epoch_ms members" per run, from the service log
    local day time rest members ms
    { grep -E "$RUN_LINE_PATTERN" "$SERVICE_LOG" || true; } | while read -r day time rest; do
        members="$(grep -oE 'Expiry job: [0-9]+' <<<"$rest" | grep -oE '[0-9]+$' || true)"
        ms="$(date -d "$day ${time/,/.}" +%s%3N 2>/dev/null || true)"
        [[ "$ms" =~ ^[0-9]+$ && -n "$members" ]] && echo "$ms $members"
    done
}
due_now() {   # -> "due lots, EXPIRY transfers"
    timeout 30 "${PSQL[@]}" -A -t -F ' ' -c "
        SELECT (SELECT count(*) FROM point_lots WHERE remaining > 0 AND expires_at <= now()),
               (SELECT count(*) FROM transfers WHERE kind = 'EXPIRY')"
}

log "starting the service: point-expiry job every scheduler tick (interval $JOB_INTERVAL), $BATCH due lots" \
    "per run (at most ${MAX_SECONDS}s from launch)"
SERVICE_OPTIONS=(
    # psql applied the schema; Flyway records it as its baseline and migrates nothing.
    -Dquarkus.flyway.baseline-on-migrate=true "-Dquarkus.flyway.baseline-version=$LAST_VERSION"
    "-Dpoints-ledger.jobs.point-expiry-interval=$JOB_INTERVAL"
    "-Dpoints-ledger.jobs.point-expiry-batch-size=$BATCH"
    "-Dpoints-ledger.jobs.hold-expiry-interval=$IDLE_INTERVAL"
    "-Dpoints-ledger.jobs.expiring-notice-interval=$IDLE_INTERVAL"
    "-Dpoints-ledger.limits.idempotency-purge-interval=$IDLE_INTERVAL"
    "-Dpoints-ledger.events.relay-interval=$IDLE_INTERVAL"
)
echo "seconds_since_launch,due_lots,expiry_transfers" >"$POLL_LOG"
launch_ms=$(date +%s%3N)
pl_start_service "$SERVICE_LOG" "${SERVICE_OPTIONS[@]}"
ready_ms=$(date +%s%3N)
startup_seconds=$(awk -v s="$launch_ms" -v e="$ready_ms" 'BEGIN { printf "%.1f", (e - s) / 1000 }')

partial=0
zero_ms=""
last_due=""
last_change_ms=$ready_ms
polls=0
while :; do
    now_ms=$(date +%s%3N)
    row="$(due_now)" || die "cannot count the due lots"
    read -r due expiry_count <<<"$row"
    since=$(awk -v s="$launch_ms" -v n="$now_ms" 'BEGIN { printf "%.1f", (n - s) / 1000 }')
    echo "$since,$due,$expiry_count" >>"$POLL_LOG"
    if [[ "$due" -eq 0 ]]; then zero_ms=$now_ms; break; fi
    if [[ "$due" != "$last_due" ]]; then last_due=$due; last_change_ms=$now_ms; fi
    polls=$((polls + 1))
    if (( polls % 10 == 0 )); then
        log "  ${since}s: $due due lots left, $expiry_count EXPIRY transfers, $(run_lines | wc -l) runs"
    fi
    if (( now_ms - launch_ms >= MAX_SECONDS * 1000 )); then
        log "stopping after ${MAX_SECONDS}s (--max-seconds): partial result"
        partial=1
        break
    fi
    (( now_ms - last_change_ms < CALL_TIMEOUT * 1000 )) \
        || pl_die_with_log "$SERVICE_LOG" "the due lots stayed at $due for ${CALL_TIMEOUT}s (--call-timeout)"
    kill -0 "$SERVICE_PID" 2>/dev/null || pl_die_with_log "$SERVICE_LOG" "the service exited"
    sleep "$POLL_SECONDS"
done
# What the service exports about the job, before it stops: the scheduler's own timers exist only
# in a build with quarkus.scheduler.metrics.enabled=true (a build-time switch).
job_metrics="$(curl -s --max-time 5 "$MANAGEMENT_URL/q/metrics" 2>/dev/null \
    | grep -v '^#' | grep -iE 'expirePoints|point_expiry|points_expir' || true)"
log_lines_at_stop=$(wc -l <"$SERVICE_LOG")
pl_stop_service   # settles the last run: the verification reads a database nobody writes to
# Errors the service logged while it ran (a run cancelled by statement_timeout, a failed write) do
# not stop the job, which tries again on the next tick; the report counts them. Ticks that fire
# while the service stops fail on the closed pool: counted apart.
service_errors=$(head -n "$log_lines_at_stop" "$SERVICE_LOG" | grep -cE '^[0-9-]+ [0-9:,]+ ERROR ' || true)
shutdown_errors=$(tail -n +"$((log_lines_at_stop + 1))" "$SERVICE_LOG" | grep -cE '^[0-9-]+ [0-9:,]+ ERROR ' || true)

# One line per run. A run reads the clock for its write (the recorded_at of all its EXPIRY
# transfers) after selecting its due members, and logs after its commit: the difference is the
# run's write transaction (locks, reads, decision, the one applying statement, commit), all of the
# run but the first SELECT. The runs in PostgreSQL and in the log are matched by their order.
sql_value "
    SELECT (extract(epoch FROM t.recorded_at) * 1000)::bigint, count(DISTINCT t.transfer_id), count(m.lot_id)
      FROM transfers t LEFT JOIN lot_movements m USING (transfer_id)
     WHERE t.kind = 'EXPIRY'
     GROUP BY t.recorded_at ORDER BY t.recorded_at" | tr '|' ' ' >"$WORK_DIR/runs-db.txt"
run_lines >"$WORK_DIR/runs-log.txt"
runs=$(wc -l <"$WORK_DIR/runs-log.txt")
[[ $runs -gt 0 ]] || pl_die_with_log "$SERVICE_LOG" "no job run expired anything (no \"Expiry job:\" line in the log)"
runs_matched=0
if [[ $(wc -l <"$WORK_DIR/runs-db.txt") -eq $runs ]] \
        && paste -d' ' "$WORK_DIR/runs-db.txt" "$WORK_DIR/runs-log.txt" | awk '$2 != $5 { exit 1 }'; then
    runs_matched=1
else
    log "the runs in PostgreSQL (runs-db.txt) and in the log (runs-log.txt) differ: no per-run times"
fi
echo "run,members_expired,lots_expired,write_started_ms,logged_at_ms,run_ms,ms_since_launch,ms_since_previous_run" >"$RUNS_CSV"
if [[ $runs_matched -eq 1 ]]; then
    paste -d' ' "$WORK_DIR/runs-db.txt" "$WORK_DIR/runs-log.txt"
else
    awk '{ print "- " $2 " - " $0 }' "$WORK_DIR/runs-log.txt"
fi | awk -v launch="$launch_ms" '
    { run_ms = ($1 == "-") ? "" : $4 - $1
      gap = (NR == 1) ? "" : $4 - previous; previous = $4
      print NR "," $5 "," $3 "," $1 "," $4 "," run_ms "," $4 - launch "," gap }' >>"$RUNS_CSV"
members_expired=$(awk '{ n += $2 } END { print n + 0 }' "$WORK_DIR/runs-log.txt")
first_run_ms=$(head -n 1 "$WORK_DIR/runs-log.txt" | cut -d' ' -f1)
last_run_ms=$(tail -n 1 "$WORK_DIR/runs-log.txt" | cut -d' ' -f1)
first_write_ms=$(tail -n +2 "$RUNS_CSV" | head -n 1 | cut -d, -f4)
# The end: the last run's commit as the service logged it, or, when no run ended the backlog
# (partial), the moment the service was stopped.
if [[ $partial -eq 0 ]]; then end_ms=$last_run_ms; else end_ms=$now_ms; fi

# ------------------------------------------------------------------------------ verification
log "verifying"
row="$(sql_value "
    SELECT (SELECT count(*) FROM point_lots l JOIN member_accounts a USING (member_id)
             WHERE l.remaining > 0 AND l.expires_at <= now() AND a.posted - a.held > 0),
           (SELECT count(*) FROM point_lots WHERE remaining > 0 AND expires_at <= now()),
           (SELECT COALESCE(sum(points), 0) FROM transfers WHERE kind = 'EXPIRY'),
           (SELECT count(*) FROM transfers WHERE kind = 'EXPIRY'),
           (SELECT count(*) FROM point_lots WHERE remaining = 0)")"
read -r due_left_available due_lots_left points_expired expiry_transfers lots_emptied <<<"${row//|/ }"
# The service's reconciliation (LedgerRepository.MISMATCHES): per account, posted and held equal
# the sums of the transfers' effects, held equals the open holds, lot remainders equal
# greatest(posted, 0).
row="$(sql_value "
    WITH sums AS (
        SELECT member_id, sum(posted_delta) AS posted, sum(held_delta) AS held FROM transfers GROUP BY member_id
    ), open_holds AS (
        SELECT member_id, sum(points) AS held FROM holds WHERE status = 'PENDING' GROUP BY member_id
    ), lots AS (
        SELECT member_id, sum(remaining) AS remaining FROM point_lots GROUP BY member_id
    )
    SELECT count(*),
           count(*) FILTER (WHERE a.posted <> COALESCE(s.posted, 0) OR a.held <> COALESCE(s.held, 0)
                               OR a.held <> COALESCE(h.held, 0)
                               OR COALESCE(l.remaining, 0) <> GREATEST(a.posted, 0))
      FROM member_accounts a
      LEFT JOIN sums s USING (member_id)
      LEFT JOIN open_holds h USING (member_id)
      LEFT JOIN lots l USING (member_id)")"
read -r accounts_checked mismatches <<<"${row//|/ }"
lot_movement_mismatches="$(sql_value "
    SELECT count(*) FROM point_lots l
      LEFT JOIN (SELECT lot_id, sum(points) AS points FROM lot_movements GROUP BY lot_id) m USING (lot_id)
     WHERE l.remaining <> COALESCE(l.credited, 0) + COALESCE(m.points, 0)")"
table_sizes="$(sql_value "
    SELECT string_agg(format('%s %s', c.relname, pg_size_pretty(pg_total_relation_size(c.oid))), ', '
                      ORDER BY c.relname)
      FROM pg_class c
     WHERE c.relname IN ('point_lots', 'lot_movements', 'transfers', 'outbox', 'member_accounts')")"

lots_expired=$(( due_lots_before - due_lots_left ))
verification="passed"
problems=()
(( mismatches == 0 )) || problems+=("$mismatches of $accounts_checked accounts do not reconcile")
(( lot_movement_mismatches == 0 )) || problems+=("$lot_movement_mismatches lots differ from their credit plus their movements")
if [[ $partial -eq 0 ]]; then
    (( due_left_available == 0 )) || problems+=("$due_left_available due lots left for members with available points")
    (( points_expired == due_points_before )) \
        || problems+=("$points_expired points expired, $due_points_before were due")
    (( expiry_transfers == members_with_lots )) \
        || problems+=("$expiry_transfers EXPIRY transfers for $members_with_lots members with lots")
fi
if [[ ${#problems[@]} -gt 0 ]]; then
    verification="FAILED: $(printf '%s; ' "${problems[@]}" | sed 's/; $//')"
fi
if [[ $partial -eq 1 ]]; then
    verification="$verification (partial run: $due_lots_left of $due_lots_before lots still due)"
fi

# ------------------------------------------------------------------------------ report
total_seconds=$(awk -v s="$launch_ms" -v e="$end_ms" 'BEGIN { printf "%.1f", (e - s) / 1000 }')
rate() {   # rate COUNT MS -> COUNT per second over MS milliseconds
    awk -v c="$1" -v t="$2" 'BEGIN { printf "%.0f", (t > 0 ? c * 1000 / t : 0) }'
}
lots_per_second=$(rate "$lots_expired" $(( end_ms - launch_ms )))
members_per_second=$(rate "$members_expired" $(( end_ms - launch_ms )))
# The job alone: from the first run's write (its clock reading) to the last run's commit, without
# the JVM's start-up and the ticks before the first run.
job_seconds=$(awk -v s="${first_write_ms:-$first_run_ms}" -v e="$end_ms" 'BEGIN { printf "%.1f", (e - s) / 1000 }')
[[ "$first_write_ms" =~ ^[0-9]+$ ]] || job_seconds="$(awk -v s="$ready_ms" -v e="$end_ms" 'BEGIN { printf "%.1f", (e - s) / 1000 }')"
lots_per_second_job=$(awk -v l="$lots_expired" -v t="$job_seconds" 'BEGIN { printf "%.0f", (t > 0 ? l / t : 0) }')
first_run_seconds=$(awk -v s="$launch_ms" -v e="$first_run_ms" 'BEGIN { printf "%.1f", (e - s) / 1000 }')
zero_text="$( [[ -n "$zero_ms" ]] \
    && awk -v s="$launch_ms" -v e="$zero_ms" 'BEGIN { printf "saw no due lot left at %.1f s", (e - s) / 1000 }' \
    || echo "still saw due lots when the service was stopped")"
if [[ $partial -eq 0 ]]; then end_text="the last run's log line"; else end_text="the service's stop (partial run)"; fi
stats() {   # stats FIELD -> "min median p90 max" of that column of runs.csv (empty cells skipped), or "- - - -"
    tail -n +2 "$RUNS_CSV" | cut -d, -f"$1" | { grep -E '^-?[0-9]+$' || true; } | sort -g | awk '
        { v[NR] = $1 }
        END {
            if (NR == 0) { print "- - - -"; exit }
            median = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
            printf "%d %d %d %d", v[1], median, v[int(NR * 0.9 + 0.999999)], v[NR]
        }'
}
read -r min_ms median_ms p90_ms max_ms <<<"$(stats 6)"
read -r min_gap_ms median_gap_ms _ max_gap_ms <<<"$(stats 8)"
over_timeout=$(tail -n +2 "$RUNS_CSV" | awk -F, -v limit="$SERVICE_STATEMENT_TIMEOUT_MS" '$6 != "" && $6 > limit { n++ } END { print n + 0 }')
members_per_run=$(awk -v m="$members_expired" -v r="$runs" 'BEGIN { printf "%.0f", m / r }')
if [[ -n "$job_metrics" ]]; then
    job_metrics_text="$(paste -sd';' - <<<"$job_metrics" | sed 's/;/; /g')"
else
    job_metrics_text="none: GET /q/metrics on the management port exports no timer or counter for the job"
    job_metrics_text+=" (the scheduler's own are off in this build: quarkus.scheduler.metrics.enabled),"
    job_metrics_text+=" so only wall-clock time is reported"
fi
cpu_model="$(pl_cpu_model)"
mem_total="$(pl_mem_total)"
pg_version="$("$PG_BIN/postgres" --version)"
java_version="$(java -version 2>&1 | awk 'NR == 1' || true)"

mkdir -p "$SCRIPT_DIR/results"
REPORT="$SCRIPT_DIR/results/expiry-benchmark-$(date -u +%Y%m%dT%H%M%SZ).md"
{
    echo "## points-ledger point-expiry benchmark"
    echo
    echo "| lots | members | batch | job runs | total s | lots/s | members/s | min ms | median ms | max ms | reconciliation |"
    echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"
    printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$lots_expired" "$MEMBERS" "$BATCH" "$runs" \
        "$total_seconds" "$lots_per_second" "$members_per_second" "$min_ms" "$median_ms" "$max_ms" \
        "$( [[ "$verification" == passed* ]] && echo "passed" || echo "FAILED" )"
    echo
    if [[ $partial -eq 1 ]]; then
        echo "- PARTIAL: the service was stopped ${MAX_SECONDS}s after its launch (--max-seconds);" \
            "$lots_expired of $due_lots_before lots expired"
    fi
    echo "- lots: lots expired by the service's job (seeded: $due_lots_before due lots of $POINTS_PER_LOT points," \
        "$due_points_before points, over $members_with_lots of $MEMBERS members, $(( LOTS / MEMBERS ))-$(( (LOTS + MEMBERS - 1) / MEMBERS ))" \
        "lots each); job runs: runs of ExpiryJobs.expirePoints that expired something (one \"Expiry job: N members'" \
        "points expired\" line each in the service log), one transaction each, $BATCH due lots looked at per run" \
        "(points-ledger.jobs.point-expiry-batch-size), interval $JOB_INTERVAL (the scheduler fires at most once a" \
        "second and skips a tick while a run is in progress)"
    echo "- total s: from launching \`java -jar\` to $end_text, so the JVM's start-up and Flyway's" \
        "baseline are in it (ready after $startup_seconds s, first run logged at $first_run_seconds s); lots/s and" \
        "members/s = lots and members / total s. The job alone, from the first run's write to $end_text:" \
        "$job_seconds s, $lots_per_second_job lots/s. The once-a-second poll of PostgreSQL $zero_text"
    if [[ $runs_matched -eq 1 ]]; then
        echo "- min, median, max ms (p90 $p90_ms ms): each run's write transaction, from its clock reading for the" \
            "write (the recorded_at of its EXPIRY transfers) to its log line after the commit: all of a run but" \
            "the SELECT of its due members before it; $over_timeout runs over ${SERVICE_STATEMENT_TIMEOUT_MS} ms"
    else
        echo "- min, median, max ms: not available (the runs in PostgreSQL and in the service log could not be matched)"
    fi
    echo "- between runs: $min_gap_ms / $median_gap_ms / $max_gap_ms ms (min / median / max) from one run's log" \
        "line to the next; 1000 ms is one scheduler tick. $members_per_run members per run on average" \
        "($members_expired in all, $expiry_transfers EXPIRY transfers, $points_expired points)"
    echo "- job metric: $job_metrics_text"
    echo "- service: ERROR lines in its log while it ran: $service_errors (a run cancelled by the pool's" \
        "statement_timeout of ${SERVICE_STATEMENT_TIMEOUT_MS} ms or a failed write would show there; the job tries" \
        "again on the next tick), while it stopped: $shutdown_errors (ticks on the closed pool);" \
        "readiness: $SERVICE_READINESS; other jobs and the outbox relay idle (every $IDLE_INTERVAL), no Kafka:" \
        "the EXPIRY events stay in the outbox; Redis for the balance cache"
    echo "- verification: $verification. Checked: due lots (remaining > 0, expires_at <= now()) left for members" \
        "with available > 0: $due_left_available; accounts not reconciling (posted/held = sums of transfers," \
        "held = open holds, lot remainders = greatest(posted, 0)): $mismatches of $accounts_checked; lots whose" \
        "remaining differs from their credit plus their movements: $lot_movement_mismatches; lots emptied: $lots_emptied"
    echo "- seeding (set-based INSERT ... SELECT, then VACUUM (ANALYZE) and CHECKPOINT): $seed_seconds s;" \
        "table sizes after the runs: $table_sizes"
    echo "- machine: $(nproc) CPUs ($cpu_model), $mem_total memory; load average (1/5/15 min)" \
        "before the run $LOADAVG_BEFORE, after it $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "- software: $pg_version (synchronous_commit=on, shared_buffers=256MB, other settings default);" \
        "$java_version${BENCH_JAVA_OPTS:+ ($BENCH_JAVA_OPTS)}; service built from $COMMIT_TEXT," \
        "jar built $(date -u -r "$JAR" +%Y-%m-%dT%H:%M:%SZ)"
    echo "- schema: $MIGRATION_NAMES from $SCHEMA_SOURCE applied with psql as $PL_DB_OWNER, one transaction per" \
        "file; the service's Flyway baselined at version $LAST_VERSION"
    echo "- date: $(date -u +%Y-%m-%dT%H:%M:%SZ); per-run lines: $RUNS_CSV; due-lot polls: $POLL_LOG"
} >"$REPORT"
cat "$REPORT"
log "report written to $REPORT"
[[ "$verification" == passed* ]] || die "verification failed: $verification"
