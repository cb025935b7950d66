package io.pointsledger.segments;

import io.pointsledger.platform.TimeOrderedIds;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * The members of a segment counted for the reports narrowed to it. A segment is otherwise
 * evaluated whenever it is used; a report is the exception because it joins a segment's members
 * with a million rows, which costs less from a table than from a rule evaluated per answer.
 *
 * <p>A segment is counted when saved (created or changed), in the background, and otherwise by
 * the first report to name it that finds no count younger than {@code snapshot-max-age}; every
 * report reads that snapshot while it is younger. Each instance counts again, in the background,
 * the segments its reports read within {@code snapshot-refreshed-while-read-within} once their
 * snapshot is half that age, so that a report waits for a count of a million members (one to two
 * seconds) only right after a save, long after one, or for a segment no report read for a while.
 */
@ApplicationScoped
public class SegmentSnapshots {

    private static final Logger LOG = Logger.getLogger(SegmentSnapshots.class);

    private static final String COLUMNS = "snapshot_id, segment_id, segment_version, taken_at, members, complement, enrolled_before";

    /**
     * A member enrolled this long before a count that the count did not see (their transaction
     * began before it and committed after) is left out of a complement's reports, as are members
     * enrolled later; the admitted among those the count saw are kept as admitted. Enrolments
     * commit within seconds: each statement within the pool's statement timeout (5 s).
     */
    private static final Duration ENROLMENT_COMMIT_MARGIN = Duration.ofMinutes(1);

    /** The saved segments that wait at most for their count on save: a burst of saves beyond is counted by the first reports. */
    private static final int SAVED_WAITING_MAX = 100;

    /** Memory for the count: every member's id and whether admitted, about 40 MB at a million, held once. */
    private static final int COUNT_WORK_MEMORY_MEGABYTES = 128;

    /**
     * The newest snapshot of segment {@code $1} at version {@code $2} taken less than {@code $3}
     * seconds ago, and after {@code $4} when given.
     */
    private static final String FRESH = "SELECT " + COLUMNS + " FROM segment_member_snapshots"
            + " WHERE segment_id = $1 AND segment_version = $2 AND taken_at > now() - make_interval(secs => $3)"
            + " AND ($4::timestamptz IS NULL OR taken_at > $4) ORDER BY taken_at DESC LIMIT 1";

    /** One instance at a time counts a segment's members; another waits, then finds its snapshot. */
    private static final String LOCK_SEGMENT = "SELECT pg_advisory_xact_lock(hashtext('points-ledger.segment-snapshots'), hashtext($1))";

    /**
     * Snapshots of segment {@code $1} but {@code $2} taken more than {@code $3} seconds ago: twice
     * the max age, so that a report that has just been given the one before still finds its rows.
     */
    private static final String DELETE_OLD = "DELETE FROM segment_member_snapshots WHERE segment_id = $1 AND snapshot_id <> $2"
            + " AND taken_at < now() - make_interval(secs => $3)";

    /** Snapshots of any segment taken more than {@code $1} seconds ago: those of segments no report reads any more. */
    private static final String DELETE_EVERY_OLD = "DELETE FROM segment_member_snapshots WHERE taken_at < now() - make_interval(secs => $1)";

    private final Pool pool;
    private final SegmentService segments;
    private final SegmentsConfig config;
    private final Clock clock;
    private final Event<SegmentCounted> counted;

    /** The saved segments waiting for their count (countSaved), oldest first; guarded by itself, as is countingSaved. */
    private final Deque<Segment> savedToCount = new ArrayDeque<>();
    private boolean countingSaved;
    private volatile boolean stopping;

    /** The segments this instance's reports read, and when last (System.nanoTime()): those it keeps counted ahead. */
    private final Map<UUID, Long> read = new ConcurrentHashMap<>();

    /**
     * The counts this instance has under way, by segment and version: reports that ask at once
     * for a segment not yet counted share one, rather than each hold a connection of the pool
     * waiting for the segment's lock.
     */
    private final Map<List<Object>, Uni<SegmentSnapshot>> counting = new ConcurrentHashMap<>();

    SegmentSnapshots(Pool pool, SegmentService segments, SegmentsConfig config, Clock clock, Event<SegmentCounted> counted) {
        this.pool = pool;
        this.segments = segments;
        this.config = config;
        this.clock = clock;
        this.counted = counted;
    }

    /** A snapshot of the members the segment admits, younger than the max age. Fails with SEGMENT_NOT_FOUND. */
    public Uni<SegmentSnapshot> fresh(UUID segmentId) {
        return segments.find(segmentId).invoke(known -> read.put(segmentId, System.nanoTime()))
                .flatMap(segment -> fresh(pool, segment, config.snapshotMaxAge(), null)
                        .flatMap(found -> found.isPresent() ? Uni.createFrom().item(found.get()) : takeOnce(segment)));
    }

    /**
     * Counts a segment just created or changed, in the background, so that the reports narrowed to
     * it that come seconds later read its members rather than wait for them. One such count at a
     * time, as refreshAhead counts (each holds a connection and up to 128 MB of work memory for
     * seconds); past SAVED_WAITING_MAX segments waiting, a save leaves its count to the first
     * report. Not kept counted ahead: only the segments reports read are (see refreshAhead).
     */
    void countSaved(@Observes SegmentSaved saved) {
        if (!config.countOnSave() || stopping) {
            return;
        }
        Segment segment = saved.segment();
        synchronized (savedToCount) {
            // An older version waiting is replaced by this one, whatever the queue's length.
            boolean waiting = savedToCount.removeIf(older -> older.segmentId().equals(segment.segmentId()));
            if (!waiting && savedToCount.size() >= SAVED_WAITING_MAX) {
                LOG.infof("Segment %s is left for its first report to count: %d saved segments wait for theirs", segment.segmentId(),
                        SAVED_WAITING_MAX);
                return;
            }
            savedToCount.addLast(segment);
        }
        countNextSaved();
    }

    /**
     * Counts the next saved segment waiting, unless one is being counted; then the one after. A
     * count that never ends (a connection lost without an answer) is given up after the count's
     * statement timeout and a minute, so that the saves after it are counted.
     */
    private void countNextSaved() {
        Segment next;
        synchronized (savedToCount) {
            if (stopping) {
                savedToCount.clear();
                return;
            }
            if (countingSaved || savedToCount.isEmpty()) {
                return;
            }
            countingSaved = true;
            next = savedToCount.removeFirst();
        }
        takeOnce(next).ifNoItem().after(config.snapshotStatementTimeout().plusMinutes(1)).fail()
                .subscribe().with(counted -> savedCounted(), failure -> {
                    if (!stopping) {
                        LOG.warnf(failure, "Segment %s was not counted for reports once saved; its first report counts it", next.segmentId());
                    }
                    savedCounted();
                });
    }

    private void savedCounted() {
        synchronized (savedToCount) {
            countingSaved = false;
        }
        countNextSaved();
    }

    void stop(@Observes ShutdownEvent shutdown) {
        stopping = true;
    }

    /** The count of the segment at its version this instance has under way, or one it starts. */
    private Uni<SegmentSnapshot> takeOnce(Segment segment) {
        List<Object> key = List.of(segment.segmentId(), segment.version());
        return Uni.createFrom().deferred(() -> counting.computeIfAbsent(key, absent -> take(segment, config.snapshotMaxAge(), null)
                .onTermination().invoke(() -> counting.remove(key))
                .memoize().indefinitely()));
    }

    /**
     * A snapshot of the segment newer than {@code outOfDate}, counted now unless another report
     * has just done it: for a report that found {@code outOfDate} replaced, or too many members
     * enrolled since it. Fails with SEGMENT_NOT_FOUND.
     */
    public Uni<SegmentSnapshot> recount(SegmentSnapshot outOfDate) {
        return segments.find(outOfDate.segmentId()).flatMap(segment -> take(segment, config.snapshotMaxAge(), outOfDate.takenAt()));
    }

    /**
     * Counts again the segments read lately whose snapshot is older than half the max age, one at
     * a time; forgets those not read for a while, and deletes the snapshots older than twice the
     * max age (those of segments no longer read). A failure is logged, and the next look tries again.
     */
    @Scheduled(every = "${points-ledger.segments.snapshot-refresh-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    public Uni<Void> refreshAhead() {
        long forgetBefore = System.nanoTime() - config.snapshotRefreshedWhileReadWithin().toNanos();
        read.entrySet().removeIf(entry -> entry.getValue() < forgetBefore);
        Uni<Void> deleteOld = pool.preparedQuery(DELETE_EVERY_OLD).execute(Tuple.of(2 * seconds(config.snapshotMaxAge())))
                .onFailure().invoke(failure -> LOG.warn("Old segment snapshots were not deleted", failure))
                .onFailure().recoverWithNull().replaceWithVoid();
        return deleteOld.chain(() -> Multi.createFrom().iterable(List.copyOf(read.keySet()))
                .onItem().transformToUniAndConcatenate(segmentId -> segments.find(segmentId)
                        .flatMap(segment -> take(segment, config.snapshotMaxAge().dividedBy(2), null))
                        .onFailure().invoke(failure -> LOG.warnf(failure, "Segment %s was not counted again for reports", segmentId))
                        .onFailure().recoverWithNull())
                .collect().last().replaceWithVoid());
    }

    private Uni<Optional<SegmentSnapshot>> fresh(SqlClient client, Segment segment, Duration within, OffsetDateTime after) {
        return client.preparedQuery(FRESH).execute(Tuple.of(segment.segmentId(), segment.version(), seconds(within), after))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(snapshot(rows.iterator().next())));
    }

    /**
     * Counts the members the segment's rule admits now, unless a snapshot younger than
     * {@code freshWithin} (and taken after {@code after}, when given) is there once this instance
     * holds the segment's lock.
     */
    private Uni<SegmentSnapshot> take(Segment segment, Duration freshWithin, OffsetDateTime after) {
        long started = System.nanoTime();
        return pool.withTransaction(transaction -> transaction
                .query("SET LOCAL statement_timeout = " + config.snapshotStatementTimeout().toMillis()).execute()
                .chain(() -> transaction.preparedQuery(LOCK_SEGMENT).execute(Tuple.of(segment.segmentId().toString())))
                .chain(() -> fresh(transaction, segment, freshWithin, after))
                .flatMap(found -> found.isPresent() ? Uni.createFrom().item(new Taken(found.get(), false)) : insert(transaction, segment)
                        .call(taken -> transaction.preparedQuery(DELETE_OLD)
                                .execute(Tuple.of(segment.segmentId(), taken.snapshotId(), 2 * seconds(config.snapshotMaxAge()))))
                        .map(taken -> new Taken(taken, true))))
                // Once committed, the statistics by which reports plan their joins with it; in a
                // transaction of its own, which holds the table's lock for the ANALYZE alone.
                // A count whose statistics fail is still a count: reports plan with the table's
                // statistics as they were, and autovacuum updates them later.
                .call(taken -> taken.counted() ? pool.query("SELECT segment_snapshot_members_analyze()").execute()
                        .invoke(() -> LOG.infof("Counted the %d members of segment %s (version %d) for reports in %d ms",
                                taken.snapshot().members(), segment.segmentId(), segment.version(),
                                Duration.ofNanos(System.nanoTime() - started).toMillis()))
                        .onFailure().invoke(failure -> LOG.warn("The statistics of the segment snapshots were not updated", failure))
                        .onFailure().recoverWithNull()
                        .invoke(() -> counted.fire(new SegmentCounted(taken.snapshot())))
                        : Uni.createFrom().voidItem())
                .map(Taken::snapshot);
    }

    /** A snapshot, and whether this look counted it (rather than found another's). */
    private record Taken(SegmentSnapshot snapshot, boolean counted) {
    }

    /**
     * The snapshot and its members in one statement, so in one view of the members: every member
     * with whether the rule admits them ({@code everyone}), counted ({@code tally}), and the smaller
     * side kept ({@code kept}, which runs once whether read or not, as every data-modifying WITH
     * does).
     */
    private Uni<SegmentSnapshot> insert(SqlClient transaction, Segment segment) {
        SegmentRule.Compiled rule = SegmentRule.parse(segment.rule()).compile(5);
        String statement = "WITH everyone AS MATERIALIZED (SELECT m.member_id, m.enrolled_at, (m.erased_at IS NULL AND (" + rule.sql()
                + ")) IS TRUE AS admitted" + SegmentRepository.EVERY_MEMBER + "),"
                + " tally AS (SELECT count(*) FILTER (WHERE admitted) AS admitted, count(*) FILTER (WHERE admitted) * 2 > count(*) AS complement,"
                + "  now() - make_interval(secs => $4) AS enrolled_before FROM everyone),"
                + " kept AS (INSERT INTO segment_snapshot_members (snapshot_id, member_id, admitted) SELECT $1, e.member_id, e.admitted"
                + "  FROM everyone e, tally t WHERE CASE WHEN t.complement THEN NOT e.admitted OR e.enrolled_at > t.enrolled_before"
                + "  ELSE e.admitted END RETURNING 1)"
                + " INSERT INTO segment_member_snapshots (" + COLUMNS + ") SELECT $1, $2, $3, now(), t.admitted, t.complement, t.enrolled_before"
                + " FROM tally t RETURNING " + COLUMNS;
        List<Object> values = new ArrayList<>(List.of(TimeOrderedIds.next(clock.millis()), segment.segmentId(), segment.version(),
                seconds(ENROLMENT_COMMIT_MARGIN)));
        values.addAll(rule.values());
        return transaction.query("SET LOCAL work_mem = '" + COUNT_WORK_MEMORY_MEGABYTES + "MB'").execute()
                .chain(() -> transaction.preparedQuery(statement).execute(Tuple.from(values)))
                .map(rows -> snapshot(rows.iterator().next()));
    }

    private static double seconds(Duration duration) {
        return duration.toMillis() / 1000.0;
    }

    private static SegmentSnapshot snapshot(Row row) {
        return new SegmentSnapshot(row.getUUID("snapshot_id"), row.getUUID("segment_id"), row.getLong("segment_version"),
                row.getOffsetDateTime("taken_at"), row.getLong("members"), row.getBoolean("complement"),
                row.getOffsetDateTime("enrolled_before"));
    }
}
