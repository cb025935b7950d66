package io.pointsledger.events;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** All SQL of the outbox relay. Every statement commits on its own: no transaction spans a publish. */
@ApplicationScoped
public class OutboxRepository {

    /**
     * Takes or renews the relay lease, by PostgreSQL's clock so that instances' clocks need not
     * agree. One relay publishes at a time: that keeps each member's events in commit order
     * across instances.
     */
    private static final String CLAIM_LEASE = """
            UPDATE outbox_relay_lease SET holder = $1, expires_at = now() + make_interval(secs => $2)
             WHERE id = 1 AND (holder = $1 OR expires_at < now())
            RETURNING holder""";

    private static final String RELEASE_LEASE = """
            UPDATE outbox_relay_lease SET holder = 'nobody', expires_at = '-infinity' WHERE id = 1 AND holder = $1""";

    private static final String OLDEST = """
            SELECT sequence, event_id, member_id, event_type, payload::text AS payload, refusals
              FROM outbox ORDER BY sequence LIMIT $1""";

    private static final String DELETE = "DELETE FROM outbox WHERE sequence = ANY($1)";

    private static final String COUNT_REFUSAL = "UPDATE outbox SET refusals = refusals + 1 WHERE sequence = $1";

    private static final String MOVE_TO_DEAD_LETTERS = """
            WITH moved AS (DELETE FROM outbox WHERE sequence = $1 RETURNING event_id, member_id, payload, refusals)
            INSERT INTO dead_letters (consumer, event_id, member_id, payload, reason, attempts)
            SELECT 'outbox-relay', event_id, member_id, payload::text, $2, refusals FROM moved
            ON CONFLICT (consumer, event_id) DO NOTHING""";

    /** Counts at most {@code $1} rows, by the primary key, so that measuring a huge backlog stays cheap. */
    private static final String BACKLOG = """
            SELECT (SELECT count(*) FROM (SELECT 1 FROM outbox LIMIT $1) AS capped) AS events,
                   COALESCE((SELECT extract(epoch FROM now() - created_at) FROM outbox ORDER BY sequence LIMIT 1), 0)
                       AS oldest_seconds""";

    private final Pool pool;

    OutboxRepository(Pool pool) {
        this.pool = pool;
    }

    /** True when this holder has the lease for {@code lease} from now. */
    Uni<Boolean> claimLease(String holder, Duration lease) {
        return pool.preparedQuery(CLAIM_LEASE).execute(Tuple.of(holder, lease.toMillis() / 1000.0))
                .map(rows -> rows.size() == 1);
    }

    Uni<Void> releaseLease(String holder) {
        return pool.preparedQuery(RELEASE_LEASE).execute(Tuple.of(holder)).replaceWithVoid();
    }

    /** The oldest events, in commit order. */
    Uni<List<OutboxEvent>> oldest(int limit) {
        return pool.preparedQuery(OLDEST).execute(Tuple.of(limit)).map(rows -> {
            List<OutboxEvent> events = new ArrayList<>(rows.size());
            for (Row row : rows) {
                events.add(new OutboxEvent(row.getLong("sequence"), row.getUUID("event_id"), row.getUUID("member_id"),
                        row.getString("event_type"), row.getString("payload"), row.getInteger("refusals")));
            }
            return events;
        });
    }

    /** Removes events the broker acknowledged. */
    Uni<Void> delete(List<OutboxEvent> events) {
        if (events.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Long[] sequences = events.stream().map(OutboxEvent::sequence).toArray(Long[]::new);
        return pool.preparedQuery(DELETE).execute(Tuple.of(sequences)).replaceWithVoid();
    }

    Uni<Void> countRefusal(OutboxEvent event) {
        return pool.preparedQuery(COUNT_REFUSAL).execute(Tuple.of(event.sequence())).replaceWithVoid();
    }

    /** Moves an event the broker keeps refusing to the dead letters, atomically. */
    Uni<Void> moveToDeadLetters(OutboxEvent event, String reason) {
        return pool.preparedQuery(MOVE_TO_DEAD_LETTERS).execute(Tuple.of(event.sequence(), reason)).replaceWithVoid();
    }

    /** Unpublished events (at most {@code countMax}) and the age of the oldest, in seconds. */
    Uni<Backlog> backlog(int countMax) {
        return pool.preparedQuery(BACKLOG).execute(Tuple.of(countMax)).map(rows -> {
            Row row = rows.iterator().next();
            return new Backlog(row.getLong("events"), row.getNumeric("oldest_seconds").doubleValue());
        });
    }

    record Backlog(long events, double oldestSeconds) {
    }
}
