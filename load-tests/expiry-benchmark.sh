#!/usr/bin/env bash
# -------------------------------------------------------------------------------------------------
# load-tests/expiry-benchmark.sh: measures the scheduled point-expiry job (ledger_expire_points)
# directly in PostgreSQL, without the service or HTTP, and prints a markdown results table.
#
# It starts its own PostgreSQL (Debian's server binaries, as the postgres user, data dir under the
# work dir, synchronous_commit=on; the same set-up as benchmark.sh), applies the service's Flyway
# migrations src/main/resources/db/migration/V*.sql of the committed REF in version order with
# psql (one transaction per file, as Flyway does), seeds members whose point lots are all past
# their expiry, then calls
#     SELECT count(*) FROM ledger_expire_points(now(), <batch>, 90, 'UTC')
# over one psql session, one call per transaction (autocommit, as the service's scheduled job
# does), until a call returns 0, timing every call. Finally it verifies that no due points are
# left and that every account reconciles, and stops everything it started. Everything binds to
# 127.0.0.1 only. Must run as root (installs Debian packages if missing, uses runuser).
#
# Seed: N members, each with an account; the L lots are spread round-robin over the members
# (L/N each, the first L mod N members one more). Each member with lots gets ONE EARN transfer
# (400 days ago) of the sum of its lots, the account's posted balance equals that sum, and each
# lot (remaining = points per lot) references that transfer, with expires_at = now() - 1 day - a
# random number of minutes below 30 days, and its crediting lot_movements row. Then VACUUM
# (ANALYZE) and CHECKPOINT, so that the measured runs start from a settled database.
#
# Usage:
#   load-tests/expiry-benchmark.sh [options]
#
# Options (default in brackets):
#   --lots L            expiring lots in total                                    [1000000]
#   --members N         members (and accounts) the lots are spread over           [100000]
#   --batch B           p_batch of each job run: due lots looked at per run (the
#                       service's points-ledger.jobs.point-expiry-batch-size)     [1000]
#   --points-per-lot P  remaining points of each lot                              [10]
#   --max-seconds S     stop calling the job after S seconds of job runs and
#                       report the partial result and its rate                    [1800]
#   --call-timeout S    longest wait for one job run before giving up             [600]
#   --pg-port P         port of the benchmark's PostgreSQL; when not given and 25432 is taken,
#                       the next free port after it (logged)                      [25432]
#   --ref REF           commit whose migrations are applied (read with git archive, so
#                       that edits in progress in src/ are not measured)          [HEAD]
#   --working-tree      apply the working tree's migrations instead of --ref's
#   --keep              keep the PostgreSQL data dir after the run (removed by default;
#                       logs and per-run timings are always kept)
#   -h, --help          print this help
#
# Environment:
#   BENCH_WORK_DIR      work dir for the PostgreSQL data, logs, migrations and timings
#                       [a new /tmp/points-ledger-expiry.XXXXXX]
#
# Output: the markdown table on stdout (also written to
# load-tests/results/expiry-benchmark-<UTC time>.md, a git-ignored folder); progress goes to
# stderr; per-run timings go to runs.csv in the work dir. Exit status is non-zero if a step fails
# or the verification fails (the table is still printed in the latter case).
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
PG_PORT=""           # empty: the default of lib.sh, or the next free port
REF="HEAD"
WORKING_TREE=0
KEEP=0
HOST=127.0.0.1
# The service's defaults for the other two arguments (points-ledger.program.*).
WINDOW_DAYS=90
TIME_ZONE="UTC"
# The service's reactive pool sets statement_timeout=5000 ms: a longer run would be cancelled there.
SERVICE_STATEMENT_TIMEOUT_MS=5000
SEED_TIMEOUT_S=3600

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
        --ref) [[ -n "${2:-}" ]] || die "--ref needs a commit"; REF="$2"; shift 2 ;;
        --working-tree) WORKING_TREE=1; shift ;;
        --keep) KEEP=1; shift ;;
        -h|--help) usage; exit 0 ;;
        *) usage >&2; die "unknown option '$1'" ;;
    esac
done
(( BATCH <= 50000 )) || die "--batch $BATCH exceeds the service's maximum point-expiry-batch-size (50000)"
(( LOTS * POINTS_PER_LOT <= 1000000000000 )) || die "--lots x --points-per-lot is implausibly large"
[[ $(id -u) -eq 0 ]] || die "run as root (installs Debian packages and runs PostgreSQL with runuser)"

LOADAVG_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"

# ------------------------------------------------------------------------------ dependencies
pl_install_missing
command -v git >/dev/null 2>&1 || die "git is not on the PATH"
pl_resolve_ports "PostgreSQL:PG_PORT:--pg-port"

# ------------------------------------------------------------------------------ work dir, cleanup
pl_make_work_dir points-ledger-expiry
SCHEMA_DIR="$WORK_DIR/migrations"
RUNS_CSV="$WORK_DIR/runs.csv"
JOB_LOG="$WORK_DIR/job-psql.log"
JOB_PID=""

cleanup_hook() {   # called by lib.sh's exit trap before it stops PostgreSQL
    if [[ -n "$JOB_PID" ]] && kill -0 "$JOB_PID" 2>/dev/null; then
        kill -TERM "$JOB_PID" 2>/dev/null
        for _ in $(seq 1 50); do kill -0 "$JOB_PID" 2>/dev/null || break; sleep 0.1; done
    fi
    log "per-run timings: $RUNS_CSV"
}
pl_install_traps

# ------------------------------------------------------------------------------ migrations
rm -rf -- "$SCHEMA_DIR"
mkdir -p "$SCHEMA_DIR"
if [[ $WORKING_TREE -eq 1 ]]; then
    SCHEMA_SOURCE="working tree ($(git -C "$REPO_DIR" rev-parse --short HEAD 2>/dev/null || echo unknown)"
    if [[ -n "$(git -C "$REPO_DIR" status --porcelain -- "$MIGRATIONS_PATH" 2>/dev/null)" ]]; then
        SCHEMA_SOURCE="$SCHEMA_SOURCE with uncommitted migration changes"
    fi
    SCHEMA_SOURCE="$SCHEMA_SOURCE)"
    cp "$REPO_DIR/$MIGRATIONS_PATH"/V*.sql "$SCHEMA_DIR"/
else
    REF_COMMIT="$(git -C "$REPO_DIR" rev-parse --verify --short "$REF^{commit}")" || die "no commit '$REF'"
    SCHEMA_SOURCE="$REF_COMMIT (--ref $REF)"
    git -C "$REPO_DIR" archive --format=tar "$REF_COMMIT" "$MIGRATIONS_PATH" \
        | tar -x -C "$SCHEMA_DIR" --strip-components=5 \
        || die "cannot read $MIGRATIONS_PATH at $REF"
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

# ------------------------------------------------------------------------------ PostgreSQL
pl_start_postgres   # the same server settings as benchmark.sh; sets PSQL

sql_value() {   # sql_value SQL -> the single value it selects
    timeout "$SEED_TIMEOUT_S" "${PSQL[@]}" -A -t -c "$1"
}

# Flyway's one placeholder, the runtime role that V12 grants, is filled in as Flyway would.
for migration in "${MIGRATIONS[@]}"; do
    log "applying $(basename "$migration")"
    sed "s/\${runtime_role}/$PL_DB_RUNTIME/g" "$migration" \
        | timeout 300 "${PSQL[@]}" --single-transaction -f - >>"$WORK_DIR/migrations.log" 2>&1 \
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
INSERT INTO point_lots (member_id, source_transfer_id, expires_at, remaining)
SELECT s.member_id, s.transfer_id,
       now() - interval '1 day' - floor(random() * 43200) * interval '1 minute', :points
  FROM generate_series(0, :lots - 1) AS g
  JOIN seed_members s ON s.idx = g % :members;

-- The earn's credit of each lot (a lot's remaining is the sum of its movements).
INSERT INTO lot_movements (transfer_id, lot_id, points)
SELECT source_transfer_id, lot_id, remaining FROM point_lots;
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
# One psql session as a coprocess: one statement per call, autocommit, \timing gives each call's
# round trip (execution and commit) as psql measures it.
log "running ledger_expire_points(now(), $BATCH, $WINDOW_DAYS, '$TIME_ZONE') until it returns 0" \
    "(at most ${MAX_SECONDS}s of runs)"
coproc JOB_PSQL { exec "${PSQL[@]}" -A -t 2>&1; }
JOB_PID=$JOB_PSQL_PID
JOB_IN=${JOB_PSQL[1]}
JOB_OUT=${JOB_PSQL[0]}
printf '%s\n' '\timing on' >&"$JOB_IN"
echo "run,members_expired,ms" >"$RUNS_CSV"
: >"$JOB_LOG"

CALL_SQL="SELECT count(*) FROM ledger_expire_points(now(), $BATCH, $WINDOW_DAYS, '$TIME_ZONE');"
max_runs=$(( MEMBERS + 10 ))   # each productive run expires at least one member's points
runs=0
members_expired=0
job_ms_total=0
empty_run_ms=""
partial=0
loop_start=$(date +%s%N)
while :; do
    echo "$CALL_SQL" >&"$JOB_IN" || die "the job's psql session is gone (see $JOB_LOG)"
    count=""; timing=""
    IFS= read -r -t "$CALL_TIMEOUT" count <&"$JOB_OUT" \
        || die "no answer from ledger_expire_points within ${CALL_TIMEOUT}s (run $((runs + 1)))"
    echo "$count" >>"$JOB_LOG"
    [[ "$count" =~ ^[0-9]+$ ]] || {
        while IFS= read -r -t 1 more <&"$JOB_OUT"; do echo "$more" >>"$JOB_LOG"; done
        tail -n 5 "$JOB_LOG" >&2
        die "ledger_expire_points failed on run $((runs + 1))"
    }
    IFS= read -r -t 10 timing <&"$JOB_OUT" || die "psql printed no timing for run $((runs + 1))"
    echo "$timing" >>"$JOB_LOG"
    [[ "$timing" =~ ^Time:\ ([0-9.]+)\ ms ]] || die "unexpected psql timing line '$timing'"
    ms="${BASH_REMATCH[1]}"
    if [[ "$count" -eq 0 ]]; then
        empty_run_ms="$ms"
        break
    fi
    runs=$((runs + 1))
    members_expired=$((members_expired + count))
    echo "$runs,$count,$ms" >>"$RUNS_CSV"
    job_ms_total=$(awk -v t="$job_ms_total" -v m="$ms" 'BEGIN { printf "%.3f", t + m }')
    if (( runs % 10 == 0 )); then
        log "  run $runs: $count members in ${ms} ms; $members_expired members so far, ${job_ms_total} ms of runs"
    fi
    if awk -v t="$job_ms_total" -v max="$MAX_SECONDS" 'BEGIN { exit !(t >= max * 1000) }'; then
        log "stopping after ${MAX_SECONDS}s of runs (--max-seconds): partial result"
        partial=1
        break
    fi
    (( runs < max_runs )) || die "more than $max_runs productive runs: the job does not converge"
done
loop_seconds=$(awk -v s="$loop_start" -v e="$(date +%s%N)" 'BEGIN { printf "%.1f", (e - s) / 1e9 }')
printf '%s\n' '\q' >&"$JOB_IN" || true
for _ in $(seq 1 50); do kill -0 "$JOB_PID" 2>/dev/null || break; sleep 0.1; done
[[ $runs -gt 0 ]] || die "the first run expired nothing"

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
     WHERE l.remaining <> COALESCE(m.points, 0)")"
table_sizes="$(sql_value "
    SELECT string_agg(format('%s %s', c.relname, pg_size_pretty(pg_total_relation_size(c.oid))), ', '
                      ORDER BY c.relname)
      FROM pg_class c
     WHERE c.relname IN ('point_lots', 'lot_movements', 'transfers', 'outbox', 'member_accounts')")"

lots_expired=$(( due_lots_before - due_lots_left ))
verification="passed"
problems=()
(( mismatches == 0 )) || problems+=("$mismatches of $accounts_checked accounts do not reconcile")
(( lot_movement_mismatches == 0 )) || problems+=("$lot_movement_mismatches lots differ from the sum of their movements")
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
stats="$(tail -n +2 "$RUNS_CSV" | cut -d, -f3 | sort -g | awk '
    { v[NR] = $1 }
    END {
        median = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
        p90 = v[int(NR * 0.9 + 0.999999)]
        printf "%.1f %.1f %.1f %.1f", v[1], median, p90, v[NR]
    }')"
read -r min_ms median_ms p90_ms max_ms <<<"$stats"
over_timeout=$(tail -n +2 "$RUNS_CSV" | awk -F, -v limit="$SERVICE_STATEMENT_TIMEOUT_MS" '$3 > limit { n++ } END { print n + 0 }')
total_seconds=$(awk -v t="$job_ms_total" 'BEGIN { printf "%.1f", t / 1000 }')
lots_per_second=$(awk -v l="$lots_expired" -v t="$job_ms_total" 'BEGIN { printf "%.0f", (t > 0 ? l * 1000 / t : 0) }')
members_per_run=$(awk -v m="$members_expired" -v r="$runs" 'BEGIN { printf "%.0f", m / r }')
cpu_model="$(lscpu 2>/dev/null | awk -F: '/^Model name/ && !seen { sub(/^[ \t]+/, "", $2); print $2; seen = 1 }' || true)"
mem_total="$(awk '/^MemTotal:/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)"
pg_version="$("$PG_BIN/postgres" --version)"

mkdir -p "$SCRIPT_DIR/results"
REPORT="$SCRIPT_DIR/results/expiry-benchmark-$(date -u +%Y%m%dT%H%M%SZ).md"
{
    echo "## points-ledger point-expiry benchmark"
    echo
    echo "| lots | members | batch | job runs | total s | lots/s | min ms | median ms | max ms | reconciliation |"
    echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"
    printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$lots_expired" "$MEMBERS" "$BATCH" "$runs" \
        "$total_seconds" "$lots_per_second" "$min_ms" "$median_ms" "$max_ms" \
        "$( [[ "$verification" == passed* ]] && echo "passed" || echo "FAILED" )"
    echo
    if [[ $partial -eq 1 ]]; then
        echo "- PARTIAL: stopped after --max-seconds $MAX_SECONDS; $lots_expired of $due_lots_before lots expired"
    fi
    echo "- lots: lots expired by the runs (seeded: $due_lots_before due lots of $POINTS_PER_LOT points, $due_points_before" \
        "points, over $members_with_lots of $MEMBERS members, $(( LOTS / MEMBERS ))-$(( (LOTS + MEMBERS - 1) / MEMBERS ))" \
        "lots each); job runs: calls of ledger_expire_points(now(), $BATCH, $WINDOW_DAYS, '$TIME_ZONE') that" \
        "expired something, one transaction each; $( [[ -n "$empty_run_ms" ]] \
            && echo "then one final call found nothing ($empty_run_ms ms)" || echo "no final empty call (partial run)")"
    echo "- total s: sum of the runs' times (psql \\timing: execution and commit, synchronous_commit=on);" \
        "lots/s = lots / total s; wall clock of the loop with the final call: $loop_seconds s"
    echo "- per run: $members_per_run members expired on average ($members_expired in all, $expiry_transfers EXPIRY" \
        "transfers, $points_expired points); p90 $p90_ms ms; $over_timeout runs over ${SERVICE_STATEMENT_TIMEOUT_MS} ms" \
        "(the service's statement_timeout, which would cancel them)"
    echo "- verification: $verification. Checked: due lots (remaining > 0, expires_at <= now()) left for members" \
        "with available > 0: $due_left_available; accounts not reconciling (posted/held = sums of transfers," \
        "held = open holds, lot remainders = greatest(posted, 0)): $mismatches of $accounts_checked; lots whose" \
        "remaining differs from the sum of their movements: $lot_movement_mismatches; lots emptied: $lots_emptied"
    echo "- seeding (set-based INSERT ... SELECT, then VACUUM (ANALYZE) and CHECKPOINT): $seed_seconds s;" \
        "table sizes after the runs: $table_sizes"
    echo "- machine: $(nproc) CPUs ($cpu_model), $mem_total memory; load average (1/5/15 min)" \
        "before the run $LOADAVG_BEFORE, after it $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "- software: $pg_version (synchronous_commit=on, shared_buffers=256MB, other settings default)," \
        "psql over TCP on 127.0.0.1"
    echo "- schema: $MIGRATION_NAMES from $SCHEMA_SOURCE applied with psql, one transaction per file"
    echo "- date: $(date -u +%Y-%m-%dT%H:%M:%SZ); per-run timings: $RUNS_CSV"
} >"$REPORT"
cat "$REPORT"
log "report written to $REPORT"
[[ "$verification" == passed* ]] || die "verification failed: $verification"
