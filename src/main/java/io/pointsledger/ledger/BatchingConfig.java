package io.pointsledger.ledger;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.util.Optional;

/**
 * Group commit of ledger writes (see {@link WriteBatcher}): a write goes at once when no batch is
 * in flight, and otherwise waits for the batch in flight to return, gathering with the writes
 * that arrive meanwhile; synchronous_commit stays on, so every acknowledged write is durable.
 */
@ConfigMapping(prefix = "points-ledger.batching")
public interface BatchingConfig {

    /** False sends every write on its own. */
    @WithDefault("true")
    boolean enabled();

    /**
     * No longer read: batches no longer wait on a timer (see {@link WriteBatcher}). Still accepted,
     * so that a configuration that sets it keeps starting; a warning says it is ignored.
     *
     * @deprecated remove it from the configuration.
     */
    @Deprecated
    Optional<Long> maxWaitMillis();

    /** Writes per batch; a full batch waits for the one in flight like any other. 1 behaves exactly like no batching. */
    @WithDefault("64")
    @Min(1)
    @Max(MAX_SIZE_LIMIT)
    int maxSize();

    /** A batch holds its account locks until it commits; past this a batch would make a till wait. */
    int MAX_SIZE_LIMIT = 1_000;

    /**
     * Writes waiting for a batch, beyond which a write is refused at once with
     * {@code 503 SERVICE_UNAVAILABLE} and {@code Retry-After} instead of queueing: when PostgreSQL
     * falls behind, memory stays bounded and a client learns it within a moment rather than at
     * its own timeout. The default is 16 full batches; a write waits at most that many round trips.
     */
    @WithDefault("1024")
    @Min(1)
    @Max(QUEUE_LIMIT_MAX)
    int queueLimit();

    /** About 64 MB of waiting requests at their largest body; beyond it a client is better told to retry. */
    int QUEUE_LIMIT_MAX = 100_000;
}
