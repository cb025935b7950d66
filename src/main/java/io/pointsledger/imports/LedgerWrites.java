package io.pointsledger.imports;

import io.pointsledger.ledger.BatchingConfig;
import io.pointsledger.platform.ErrorCode;
import io.pointsledger.platform.ProblemException;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * How an import writes through the ledger's one write path: a group commit's worth of writes at
 * once, and a write the write path answered 503 (its queue full, PostgreSQL slow) tried again with
 * the same key, so that it applies once.
 */
final class LedgerWrites {

    /** Writes of one chunk waiting in the write path at once: a group commit's worth, at most a quarter of its queue. */
    private static final int WRITES_IN_FLIGHT_MAX = 64;
    private static final int WRITE_ATTEMPTS_MAX = 6;
    private static final Duration RETRY_BACKOFF_INITIAL = Duration.ofMillis(200);
    private static final Duration RETRY_BACKOFF_MAX = Duration.ofSeconds(5);

    private LedgerWrites() {
    }

    /** How many of a chunk's writes wait in the write path at once. */
    static int inFlight(BatchingConfig batching) {
        return Math.max(1, Math.min(WRITES_IN_FLIGHT_MAX, batching.queueLimit() / 4));
    }

    /** The write, tried again while the write path answers 503; its key makes every attempt one write. */
    static <T> Uni<T> retriedWhileBusy(Supplier<Uni<T>> write) {
        return Uni.createFrom().<T>deferred(write::get)
                .onFailure(failure -> refusal(failure) == ErrorCode.SERVICE_UNAVAILABLE).retry()
                .withBackOff(RETRY_BACKOFF_INITIAL, RETRY_BACKOFF_MAX).atMost(WRITE_ATTEMPTS_MAX - 1L);
    }

    /** The code a write was refused with, or null for any other failure. */
    static ErrorCode refusal(Throwable failure) {
        return failure instanceof ProblemException problem ? problem.code() : null;
    }
}
