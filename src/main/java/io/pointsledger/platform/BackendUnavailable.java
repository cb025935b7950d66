package io.pointsledger.platform;

import java.net.ConnectException;
import java.util.concurrent.TimeoutException;

/** Recognises failures that mean PostgreSQL could not be reached in time, as opposed to a bug. */
public final class BackendUnavailable {

    private static final int CAUSE_DEPTH_MAX = 8;

    private BackendUnavailable() {
    }

    public static boolean isCause(Throwable failure) {
        Throwable current = failure;
        for (int depth = 0; current != null && depth < CAUSE_DEPTH_MAX; depth++) {
            if (current instanceof ConnectException
                    || current instanceof TimeoutException
                    || current instanceof io.vertx.core.VertxException && mentionsConnection(current)) {
                return true;
            }
            current = current.getCause();
        }
        return false;
    }

    private static boolean mentionsConnection(Throwable failure) {
        String message = String.valueOf(failure.getMessage()).toLowerCase(java.util.Locale.ROOT);
        return message.contains("connection") || message.contains("timeout") || message.contains("timed out");
    }
}
