package io.pointsledger.events;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;

/** All SQL of the outbox relay. */
@ApplicationScoped
public class OutboxRepository {

    /**
     * One relay publishes at a time, whichever instance takes this transaction-scoped lock: that
     * keeps each member's events in commit order across instances. The others skip the run.
     */
    private static final String TRY_RELAY_LOCK = "SELECT pg_try_advisory_xact_lock(7467726565)";

    private static final String CLAIM = """
            SELECT sequence, event_id, member_id, event_type, payload::text AS payload
              FROM outbox ORDER BY sequence LIMIT $1""";

    private static final String DELETE = "DELETE FROM outbox WHERE sequence = ANY($1)";

    private static final String BACKLOG = """
            SELECT count(*) AS events, COALESCE(extract(epoch FROM now() - min(created_at)), 0) AS oldest_seconds
              FROM outbox""";

    private final Pool pool;

    OutboxRepository(Pool pool) {
        this.pool = pool;
    }

    Uni<Boolean> tryRelayLock(SqlClient transaction) {
        return transaction.query(TRY_RELAY_LOCK).execute().map(rows -> rows.iterator().next().getBoolean(0));
    }

    /** The oldest events, in commit order. */
    Uni<List<OutboxEvent>> oldest(SqlClient transaction, int limit) {
        return transaction.preparedQuery(CLAIM).execute(Tuple.of(limit)).map(rows -> {
            List<OutboxEvent> events = new ArrayList<>(rows.size());
            for (Row row : rows) {
                events.add(new OutboxEvent(row.getLong("sequence"), row.getUUID("event_id"), row.getUUID("member_id"),
                        row.getString("event_type"), row.getString("payload")));
            }
            return events;
        });
    }

    /** Removes events the broker acknowledged. */
    Uni<Void> delete(SqlClient transaction, List<OutboxEvent> events) {
        Long[] sequences = events.stream().map(OutboxEvent::sequence).toArray(Long[]::new);
        return transaction.preparedQuery(DELETE).execute(Tuple.of(sequences)).replaceWithVoid();
    }

    /** Unpublished events and the age of the oldest, in seconds. */
    Uni<double[]> backlog() {
        return pool.query(BACKLOG).execute().map(rows -> {
            Row row = rows.iterator().next();
            return new double[] {row.getLong("events"), row.getNumeric("oldest_seconds").doubleValue()};
        });
    }

    Pool pool() {
        return pool;
    }
}
