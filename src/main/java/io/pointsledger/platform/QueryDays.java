package io.pointsledger.platform;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;

/** A day given in a query parameter: YYYY-MM-DD in the years every other day of the API takes. */
public final class QueryDays {

    private QueryDays() {
    }

    /**
     * The day; null when absent or empty. VALIDATION_FAILED naming {@code name} for anything else,
     * a signed or five-digit year included (which LocalDate reads, and PostgreSQL does not).
     */
    public static LocalDate parse(String name, String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        try {
            LocalDate day = LocalDate.parse(text);
            if (day.getYear() >= ApiLimits.YEAR_MIN && day.getYear() <= ApiLimits.YEAR_MAX) {
                return day;
            }
        } catch (DateTimeParseException e) {
            // Refused below, like a day out of range.
        }
        throw ProblemException.invalid(name, "a day, YYYY-MM-DD, in the years " + ApiLimits.YEAR_MIN + " to " + ApiLimits.YEAR_MAX);
    }
}
