package io.pointsledger.imports;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.regex.Pattern;

/**
 * Dates as files write them: ISO (1990-04-01), or a spreadsheet date's serial number; and times
 * of day without a zone: ISO (2010-12-01T08:26:00, or with a space for the T) or a serial number
 * with its fraction of a day (40513.35).
 */
final class SheetDates {

    /** Excel counts days from 1899-12-30 (its 1900 date system, leap-year bug included). */
    private static final LocalDate EXCEL_EPOCH = LocalDate.of(1899, 12, 30);
    /** Five digits at most: 99 999 is 2173-10-14, and a six-digit number (202703) is no date a file means. */
    private static final Pattern SERIAL_DATE = Pattern.compile("^[0-9]{1,5}(\\.0+)?$");
    /** A serial number with a fraction of a day, to the second at most (more digits are rounding noise). */
    private static final Pattern SERIAL_DATE_TIME = Pattern.compile("^[0-9]{1,5}\\.[0-9]{1,17}$");
    private static final long SECONDS_PER_DAY = 86_400;

    private SheetDates() {
    }

    /** Fails with DateTimeParseException or NumberFormatException when the text is neither. */
    static LocalDate parse(String value) {
        if (SERIAL_DATE.matcher(value).matches()) {
            int dot = value.indexOf('.');
            return EXCEL_EPOCH.plusDays(Long.parseLong(dot < 0 ? value : value.substring(0, dot)));
        }
        return LocalDate.parse(value);
    }

    /** A date alone is its day's start. Fails with DateTimeParseException or NumberFormatException when the text is none of these. */
    static LocalDateTime parseDateTime(String value) {
        if (SERIAL_DATE_TIME.matcher(value).matches() && !SERIAL_DATE.matcher(value).matches()) {
            int dot = value.indexOf('.');
            long seconds = Math.round(Double.parseDouble("0" + value.substring(dot)) * SECONDS_PER_DAY);
            return EXCEL_EPOCH.plusDays(Long.parseLong(value.substring(0, dot))).atStartOfDay().plusSeconds(seconds);
        }
        if (value.length() > 10 && (value.charAt(10) == 'T' || value.charAt(10) == 't' || value.charAt(10) == ' ')) {
            return LocalDateTime.of(LocalDate.parse(value.substring(0, 10)), LocalTime.parse(value.substring(11)));
        }
        return parse(value).atStartOfDay();
    }
}
