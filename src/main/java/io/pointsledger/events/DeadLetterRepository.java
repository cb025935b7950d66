package io.pointsledger.events;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/** All SQL of the dead letters: events a consumer gave up on, with the reason. */
@ApplicationScoped
public class DeadLetterRepository {

    /** A redelivered event that fails again adds its attempts to the one row it already has. */
    private static final String RECORD = """
            INSERT INTO dead_letters (consumer, event_id, member_id, payload, reason, attempts)
            VALUES ($1, $2, $3, $4, $5, $6)
            ON CONFLICT (consumer, event_id)
            DO UPDATE SET attempts = dead_letters.attempts + EXCLUDED.attempts, reason = EXCLUDED.reason,
                          failed_at = now()""";

    private final Pool pool;

    DeadLetterRepository(Pool pool) {
        this.pool = pool;
    }

    Uni<Void> record(String consumer, UUID eventId, UUID memberId, String payload, String reason, int attempts) {
        return pool.preparedQuery(RECORD).execute(Tuple.tuple()
                        .addString(consumer).addUUID(eventId).addUUID(memberId)
                        .addString(storable(payload)).addString(storable(reason)).addInteger(attempts))
                .replaceWithVoid();
    }

    /** PostgreSQL text cannot hold U+0000, and a poison event may carry one: keep the rest. */
    private static String storable(String text) {
        return text == null ? "" : text.replace((char) 0, '\uFFFD');
    }
}
