package io.pointsledger.platform;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;

/**
 * How the service waits for PostgreSQL and what it tells a client when PostgreSQL is away. The
 * pool's size and statement timeout are Quarkus keys ({@code quarkus.datasource.reactive.*}); its
 * wait queue is not (Quarkus has no key for it), so it is here.
 */
@ConfigMapping(prefix = "points-ledger.database")
public interface DatabaseConfig {

    /**
     * The {@code Retry-After} of a {@code 503 SERVICE_UNAVAILABLE}: a fast restart of PostgreSQL
     * takes a second or two, crash recovery a few more.
     */
    @WithDefault("2")
    @Min(1)
    @Max(RETRY_AFTER_SECONDS_MAX)
    int retryAfterSeconds();

    /** Beyond this a client would rather be told to go elsewhere than be told to wait. */
    int RETRY_AFTER_SECONDS_MAX = 300;

    /** Longest wait to open a connection to a PostgreSQL that does not answer (Vert.x waits 60 s). */
    @WithDefault("PT5S")
    Duration connectTimeout();

    /**
     * Longest a write or a balance read waits for its round trip to PostgreSQL, the wait for a
     * pooled connection included; past it the request answers 503. It must exceed the statement
     * timeout (5 s). A write that was still queued may commit after that answer: the client's
     * retry with its Idempotency-Key then replays it.
     */
    @WithDefault("PT10S")
    Duration roundTripTimeout();

    /**
     * Most requests waiting for a pooled connection at once; one more fails at once and answers
     * 503 with Retry-After, so that a PostgreSQL that falls behind cannot make waiting requests
     * pile up without bound. Writes wait in the group commit's own bounded queue
     * ({@code points-ledger.batching.queue-limit}), so this bounds reads and the jobs.
     */
    @WithDefault("2000")
    @Min(1)
    @Max(CONNECTION_WAITERS_LIMIT)
    int connectionWaitersMax();

    /** Far above any useful backlog: each waiter holds a request and its memory. */
    int CONNECTION_WAITERS_LIMIT = 100_000;
}
