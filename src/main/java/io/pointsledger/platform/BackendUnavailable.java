package io.pointsledger.platform;

import io.vertx.core.VertxException;
import io.vertx.core.impl.NoStackTraceThrowable;
import io.vertx.pgclient.PgException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.nio.channels.ClosedChannelException;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeoutException;

/**
 * Recognises failures that mean PostgreSQL could not be reached or could not serve the request
 * right now, as opposed to a bug: a retry with the same Idempotency-Key is safe and may succeed
 * (a write whose connection was lost after its commit replays; any other applies once).
 */
public final class BackendUnavailable {

    private static final int CAUSE_DEPTH_MAX = 8;

    /** SQLSTATE class 08: connection exceptions. */
    private static final String CONNECTION_EXCEPTION_CLASS = "08";

    /**
     * admin_shutdown (terminated by pg_terminate_backend or a fast shutdown), crash_shutdown,
     * cannot_connect_now (shutting down, starting up, not yet accepting connections),
     * too_many_connections.
     */
    private static final Set<String> UNAVAILABLE_STATES = Set.of("57P01", "57P02", "57P03", "53300");

    /**
     * PostgreSQL could not finish the statement now and rolled it back: query_canceled (the
     * statement timeout, reached under load or behind a lock), serialization_failure,
     * deadlock_detected, lock_not_available. Nothing was written, so the same request retried
     * after a pause applies once; they are logged, so one that keeps coming still gets looked at.
     */
    private static final Set<String> ROLLED_BACK_UNDER_LOAD_STATES = Set.of("57014", "40001", "40P01", "55P03");

    private BackendUnavailable() {
    }

    public static boolean isCause(Throwable failure) {
        Throwable current = failure;
        for (int depth = 0; current != null && depth < CAUSE_DEPTH_MAX; depth++) {
            if (isUnavailable(current)) {
                return true;
            }
            current = current.getCause();
        }
        return false;
    }

    private static boolean isUnavailable(Throwable failure) {
        if (failure instanceof PgException pg) {
            return isUnavailableState(pg.getSqlState());
        }
        // ConnectException: refused or timed out; SocketException: reset, broken pipe;
        // the two TimeoutExceptions: a deadline of ours (Mutiny's) or of Vert.x (NoStackTraceTimeoutException).
        return failure instanceof ConnectException
                || failure instanceof SocketException
                || failure instanceof ClosedChannelException
                || failure instanceof TimeoutException
                || failure instanceof io.smallrye.mutiny.TimeoutException
                || failure instanceof IOException && mentions(failure, "connection reset", "broken pipe")
                // ClosedConnectionException, "Connection closed", "Connection is not active now",
                // "Timeout waiting for connection", "Connection pool reached max wait queue size",
                // "Pool closed": Vert.x says these with a message only.
                || (failure instanceof VertxException || failure instanceof NoStackTraceThrowable)
                        && mentions(failure, "connection", "timeout", "timed out", "pool closed");
    }

    private static boolean isUnavailableState(String sqlState) {
        return sqlState != null
                && (sqlState.startsWith(CONNECTION_EXCEPTION_CLASS) || UNAVAILABLE_STATES.contains(sqlState)
                        || ROLLED_BACK_UNDER_LOAD_STATES.contains(sqlState));
    }

    private static boolean mentions(Throwable failure, String... words) {
        String message = String.valueOf(failure.getMessage()).toLowerCase(Locale.ROOT);
        for (String word : words) {
            if (message.contains(word)) {
                return true;
            }
        }
        return false;
    }
}
