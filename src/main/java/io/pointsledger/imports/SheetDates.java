package io.pointsledger.imports;

import java.time.LocalDate;
import java.util.regex.Pattern;

/** Dates as files write them: ISO (1990-04-01), or a spreadsheet date's serial number. */
final class SheetDates {

    /** Excel counts days from 1899-12-30 (its 1900 date system, leap-year bug included). */
    private static final LocalDate EXCEL_EPOCH = LocalDate.of(1899, 12, 30);
    /** Five digits at most: 99 999 is 2173-10-14, and a six-digit number (202703) is no date a file means. */
    private static final Pattern SERIAL_DATE = Pattern.compile("^[0-9]{1,5}(\\.0+)?$");

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
}
