package io.pointsledger.platform;

import java.time.Duration;
import java.time.OffsetDateTime;

/** A period {@code [from, to)} a report covers, as its query parameters state it. */
public record Period(OffsetDateTime from, OffsetDateTime to) {

    /**
     * Both ends as ISO 8601 timestamps with offsets, {@code from} before {@code to}, at most
     * {@code longest} apart. Fails with VALIDATION_FAILED naming the parameter.
     */
    public static Period parse(String fromText, String toText, Duration longest) {
        OffsetDateTime from = timestamp("from", fromText);
        OffsetDateTime to = timestamp("to", toText);
        if (!from.isBefore(to)) {
            throw ProblemException.invalid("to", "must be after from");
        }
        if (Duration.between(from, to).compareTo(longest) > 0) {
            throw ProblemException.invalid("to", "a period is at most " + longest.toDays() + " days");
        }
        return new Period(from, to);
    }

    /** A timestamp with its offset, of a year within ApiLimits' (PostgreSQL cannot compare with some beyond). */
    private static OffsetDateTime timestamp(String name, String value) {
        OffsetDateTime timestamp;
        try {
            timestamp = OffsetDateTime.parse(value);
        } catch (RuntimeException e) {
            throw ProblemException.invalid(name, "an ISO 8601 timestamp with offset is required");
        }
        if (timestamp.getYear() < ApiLimits.YEAR_MIN || timestamp.getYear() > ApiLimits.YEAR_MAX) {
            throw ProblemException.invalid(name, "a timestamp of a year from " + ApiLimits.YEAR_MIN + " to " + ApiLimits.YEAR_MAX
                    + " is required");
        }
        return timestamp;
    }
}
