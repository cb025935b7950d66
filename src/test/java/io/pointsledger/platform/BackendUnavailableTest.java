package io.pointsledger.platform;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smallrye.mutiny.TimeoutException;
import io.vertx.core.VertxException;
import io.vertx.core.impl.NoStackTraceThrowable;
import io.vertx.core.impl.NoStackTraceTimeoutException;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which failures answer 503 (retry later, same key) and which stay 500 (a bug, logged). */
class BackendUnavailableTest {

    private static PgException pg(String sqlState) {
        return new PgException("message", "FATAL", sqlState, null);
    }

    @ParameterizedTest
    @ValueSource(strings = {"08000", "08003", "08006", "08001", "08P01", "57P01", "57P02", "57P03", "53300"})
    void shouldRecogniseAConnectionLostRefusedOrShuttingDownAsUnavailable(String sqlState) {
        assertTrue(BackendUnavailable.isCause(pg(sqlState)));
    }

    /** Statement timeout, serialization failure, deadlock, lock not available: rolled back, safe to retry. */
    @ParameterizedTest
    @ValueSource(strings = {"57014", "40001", "40P01", "55P03"})
    void shouldRecogniseAStatementRolledBackUnderLoadAsUnavailable(String sqlState) {
        assertTrue(BackendUnavailable.isCause(pg(sqlState)));
    }

    /** Syntax, missing relation, unique and check violations, out of range, raised refusals: ours to fix or to decide. */
    @ParameterizedTest
    @ValueSource(strings = {"42601", "42P01", "23505", "23514", "22003", "P0001", "LDG02"})
    void shouldKeepOtherDatabaseErrorsAsBugs(String sqlState) {
        assertFalse(BackendUnavailable.isCause(pg(sqlState)));
    }

    @Test
    void shouldRecogniseLostAndRefusedConnectionsAndTimeouts() {
        assertTrue(BackendUnavailable.isCause(new ConnectException("Connection refused")));
        assertTrue(BackendUnavailable.isCause(new SocketException("Connection reset")));
        assertTrue(BackendUnavailable.isCause(ClosedConnectionException.INSTANCE));
        assertTrue(BackendUnavailable.isCause(new VertxException("Connection closed")));
        assertTrue(BackendUnavailable.isCause(new VertxException("Timeout waiting for connection", true)));
        assertTrue(BackendUnavailable.isCause(new NoStackTraceThrowable("Connection is not active now, current status: CLOSED")));
        assertTrue(BackendUnavailable.isCause(new NoStackTraceTimeoutException("The timeout period of 5000ms has been exceeded")));
        assertTrue(BackendUnavailable.isCause(new TimeoutException()));
        assertTrue(BackendUnavailable.isCause(new IOException("Connection reset by peer")));
    }

    @Test
    void shouldLookThroughWrappers() {
        assertTrue(BackendUnavailable.isCause(new CompletionException(pg("57P01"))));
        assertTrue(BackendUnavailable.isCause(new CompletionException(new RuntimeException(new ConnectException()))));
        assertFalse(BackendUnavailable.isCause(new CompletionException(pg("42P01"))));
    }

    @Test
    void shouldKeepProgrammingErrorsAsBugs() {
        assertFalse(BackendUnavailable.isCause(new IllegalStateException("Result is already complete")));
        assertFalse(BackendUnavailable.isCause(new NullPointerException()));
        assertFalse(BackendUnavailable.isCause(new VertxException("Invalid JSON")));
        assertFalse(BackendUnavailable.isCause(new IOException("No space left on device")));
    }
}
