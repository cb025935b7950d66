package io.pointsledger.segments;

import io.pointsledger.platform.TimeOrderedIds;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * The members of a segment counted for the reports narrowed to it: a snapshot is taken when a
 * report asks for a segment whose newest one is older than {@code snapshot-max-age} or of an
 * earlier version of its rule, and read by every report until then. A segment is otherwise
 * evaluated whenever it is used; a report is the exception because it joins a segment's members
 * with a million rows, which costs less from a table than from a rule evaluated per answer.
 */
@ApplicationScoped
public class SegmentSnapshots {

    private static final Logger LOG = Logger.getLogger(SegmentSnapshots.class);

    private static final String COLUMNS = "snapshot_id, segment_id, segment_version, taken_at, members";

    /** The newest snapshot of segment {@code $1} at version {@code $2} taken less than {@code $3} seconds ago. */
    private static final String FRESH = "SELECT " + COLUMNS + " FROM segment_member_snapshots"
            + " WHERE segment_id = $1 AND segment_version = $2 AND taken_at > now() - make_interval(secs => $3)"
            + " ORDER BY taken_at DESC LIMIT 1";

    /** One instance at a time counts a segment's members; another waits, then finds its snapshot. */
    private static final String LOCK_SEGMENT = "SELECT pg_advisory_xact_lock(hashtext('points-ledger.segment-snapshots'), hashtext($1::text))";

    /**
     * Snapshots of segment {@code $1} but {@code $2} taken more than {@code $3} seconds ago: twice
     * the max age, so that a report that has just been given the one before still finds its rows.
     */
    private static final String DELETE_OLD = "DELETE FROM segment_member_snapshots WHERE segment_id = $1 AND snapshot_id <> $2"
            + " AND taken_at < now() - make_interval(secs => $3)";

    private final Pool pool;
    private final SegmentService segments;
    private final SegmentsConfig config;
    private final Clock clock;

    SegmentSnapshots(Pool pool, SegmentService segments, SegmentsConfig config, Clock clock) {
        this.pool = pool;
        this.segments = segments;
        this.config = config;
        this.clock = clock;
    }

    /** A snapshot of the members the segment admits, fresh enough for a report. Fails with SEGMENT_NOT_FOUND. */
    public Uni<SegmentSnapshot> fresh(UUID segmentId) {
        return segments.find(segmentId).flatMap(segment -> fresh(pool, segment)
                .flatMap(found -> found.isPresent() ? Uni.createFrom().item(found.get()) : take(segment)));
    }

    private Uni<Optional<SegmentSnapshot>> fresh(SqlClient client, Segment segment) {
        return client.preparedQuery(FRESH).execute(Tuple.of(segment.segmentId(), segment.version(), seconds(config.snapshotMaxAge())))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(snapshot(rows.iterator().next())));
    }

    /** Counts the members the segment's rule admits now, unless another instance has just done it. */
    private Uni<SegmentSnapshot> take(Segment segment) {
        long started = System.nanoTime();
        return pool.withTransaction(transaction -> transaction.preparedQuery(LOCK_SEGMENT).execute(Tuple.of(segment.segmentId().toString()))
                .chain(() -> fresh(transaction, segment))
                .flatMap(found -> found.isPresent() ? Uni.createFrom().item(found.get()) : insert(transaction, segment)
                        .call(taken -> transaction.preparedQuery(DELETE_OLD)
                                .execute(Tuple.of(segment.segmentId(), taken.snapshotId(), 2 * seconds(config.snapshotMaxAge()))))
                        .invoke(taken -> LOG.infof("Counted the %d members of segment %s (version %d) for reports in %d ms", taken.members(),
                                segment.segmentId(), segment.version(), Duration.ofNanos(System.nanoTime() - started).toMillis()))));
    }

    /**
     * The snapshot and its members in one statement: the foreign key of the members is checked at
     * its end, when their snapshot's row is there too.
     */
    private Uni<SegmentSnapshot> insert(SqlClient transaction, Segment segment) {
        SegmentRule.Compiled rule = SegmentRule.parse(segment.rule()).compile(4);
        String statement = "WITH admitted AS (INSERT INTO segment_snapshot_members (snapshot_id, member_id) SELECT $1, m.member_id"
                + SegmentRepository.MEMBERS + " AND " + rule.sql() + " RETURNING 1)"
                + " INSERT INTO segment_member_snapshots (" + COLUMNS + ") SELECT $1, $2, $3, now(), count(*) FROM admitted"
                + " RETURNING " + COLUMNS;
        List<Object> values = new ArrayList<>(List.of(TimeOrderedIds.next(clock.millis()), segment.segmentId(), segment.version()));
        values.addAll(rule.values());
        return transaction.preparedQuery(statement).execute(Tuple.from(values)).map(rows -> snapshot(rows.iterator().next()));
    }

    private static double seconds(Duration duration) {
        return duration.toMillis() / 1000.0;
    }

    private static SegmentSnapshot snapshot(Row row) {
        return new SegmentSnapshot(row.getUUID("snapshot_id"), row.getUUID("segment_id"), row.getLong("segment_version"),
                row.getOffsetDateTime("taken_at"), row.getLong("members"));
    }
}
