package io.pointsledger.support;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Collects, while installed on the root logger, the log records that show a failure nobody
 * handled: an exception that reached Vert.x or Mutiny uncaught (such as a promise completed a
 * second time: "Result is already complete") or a request answered 500.
 */
public final class UncaughtFailures extends Handler implements AutoCloseable {

    private static final String ALREADY_COMPLETE = "Result is already complete";
    private static final String ANSWERED_500_BY = "io.pointsledger.platform.ProblemMapper";

    private final List<String> seen = new CopyOnWriteArrayList<>();

    private UncaughtFailures() {
    }

    public static UncaughtFailures install() {
        UncaughtFailures failures = new UncaughtFailures();
        Logger.getLogger("").addHandler(failures);
        return failures;
    }

    /** One line per record seen: logger, message and exception. */
    public List<String> seen() {
        return List.copyOf(seen);
    }

    @Override
    public void publish(LogRecord record) {
        String message = String.valueOf(record.getMessage());
        boolean uncaught = message.contains("Uncaught exception") || message.contains("had to drop")
                || message.contains(ALREADY_COMPLETE) || mentionsAlreadyComplete(record.getThrown());
        boolean answered500 = ANSWERED_500_BY.equals(record.getLoggerName())
                && record.getLevel().intValue() >= Level.SEVERE.intValue();
        if (uncaught || answered500) {
            seen.add(record.getLoggerName() + ": " + message + " " + record.getThrown());
        }
    }

    private static boolean mentionsAlreadyComplete(Throwable thrown) {
        for (Throwable cause = thrown; cause != null; cause = cause.getCause()) {
            if (String.valueOf(cause.getMessage()).contains(ALREADY_COMPLETE)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        Logger.getLogger("").removeHandler(this);
    }
}
