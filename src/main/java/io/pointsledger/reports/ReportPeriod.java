package io.pointsledger.reports;

import io.pointsledger.platform.ProblemException;
import io.pointsledger.platform.QueryDays;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;

/** The days {@code [from, to)} a report covers, in the program's time zone. */
record ReportPeriod(LocalDate from, LocalDate to) {

    /**
     * The period the query names: days YYYY-MM-DD, {@code to} excluded; left out, the
     * {@code defaultDays} up to and including today. Fails with VALIDATION_FAILED naming the
     * parameter: a malformed day, {@code to} not after {@code from}, more than {@code longestDays}.
     */
    static ReportPeriod parse(String fromText, String toText, LocalDate today, int defaultDays, int longestDays) {
        LocalDate to = QueryDays.parse("to", toText);
        LocalDate from = QueryDays.parse("from", fromText);
        if (to == null) {
            to = from == null ? today.plusDays(1) : from.plusDays(defaultDays);
        }
        if (from == null) {
            from = to.minusDays(defaultDays);
        }
        if (!from.isBefore(to)) {
            throw ProblemException.invalid("to", "must be after from");
        }
        if (ChronoUnit.DAYS.between(from, to) > longestDays) {
            throw ProblemException.invalid("to", "a period is at most " + longestDays + " days");
        }
        return new ReportPeriod(from, to);
    }
}
