package io.pointsledger.imports;

import io.pointsledger.platform.ApiLimits;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * An opening balances file's rows, as the balances to bring over or the reasons a row is refused:
 * the member's external id, a whole number of points (a spreadsheet's 1500.0 is 1500; 1 500, 1,500
 * and 1500.5 are refused, never guessed), when they expire in the old system, and its reference.
 */
final class BalanceRows {

    static final String OUT_OF_RANGE = "OUT_OF_RANGE";
    static final String EXPIRED = "EXPIRED";
    static final String MEMBER_NOT_FOUND = "MEMBER_NOT_FOUND";
    static final String ALREADY_MIGRATED = "ALREADY_MIGRATED";
    static final String CHANGED = "CHANGED";

    /** One member's opening balance; {@code expiresAt} null: as points earned today would. */
    record Balance(long rowNumber, String externalId, long points, OffsetDateTime expiresAt, String reference) {
    }

    /** A row read: the balance it states, or why it is refused (never both). */
    record Parsed(Balance balance, List<ImportRowError> errors) {
    }

    private final ImportColumns<BalanceColumns.Field> columns;
    private final ZoneId programZone;
    private final Instant now;

    /**
     * {@code now}: what an expiry must be after, the same however often the job is resumed (when
     * it was asked for); {@code programZone}: where a date alone ends.
     */
    BalanceRows(ImportColumns<BalanceColumns.Field> columns, ZoneId programZone, Instant now) {
        this.columns = columns;
        this.programZone = programZone;
        this.now = now;
    }

    Parsed parse(long rowNumber, List<String> cells) {
        List<ImportRowError> errors = new ArrayList<>();
        if (columns.overflows(cells)) {
            errors.add(new ImportRowError(rowNumber, "row", ImportRowError.TOO_MANY_COLUMNS, "has text in a column the header does not name"));
        }
        String externalId = columns.required(rowNumber, cells, BalanceColumns.Field.EXTERNAL_ID, ApiLimits.EXTERNAL_ID_LENGTH_MAX, errors);
        Long points = points(rowNumber, columns.required(rowNumber, cells, BalanceColumns.Field.POINTS, Integer.MAX_VALUE, errors), errors);
        OffsetDateTime expiresAt = expiry(rowNumber, columns.text(rowNumber, cells, BalanceColumns.Field.EXPIRES_AT, errors), errors);
        String reference = columns.optional(rowNumber, cells, BalanceColumns.Field.REFERENCE, ApiLimits.ORDER_ID_LENGTH_MAX, errors);
        errors.sort(Comparator.comparing(ImportRowError::field));
        return errors.isEmpty() ? new Parsed(new Balance(rowNumber, externalId, points, expiresAt, reference), List.of())
                : new Parsed(null, errors);
    }

    private static Long points(long rowNumber, String text, List<ImportRowError> errors) {
        if (text == null) {
            return null;
        }
        SheetNumbers.Result points = SheetNumbers.whole(text, 1, ApiLimits.TRANSFER_POINTS_MAX);
        if (!points.wellFormed()) {
            errors.add(new ImportRowError(rowNumber, "points", ImportRowError.INVALID, "must be a whole number of points, digits only"));
        } else if (points.value() == null) {
            errors.add(new ImportRowError(rowNumber, "points", OUT_OF_RANGE, "must be from 1 to " + ApiLimits.TRANSFER_POINTS_MAX
                    + " (a member without points needs no opening balance)"));
        }
        return points.value();
    }

    /**
     * A moment with its offset, or a date (ISO or a spreadsheet's), good through that whole day in
     * the program's time zone, as the program's own lots are; it must be still to come.
     */
    private OffsetDateTime expiry(long rowNumber, String text, List<ImportRowError> errors) {
        if (text == null) {
            return null;
        }
        OffsetDateTime expiresAt;
        try {
            expiresAt = text.indexOf('T') >= 0 || text.indexOf('t') >= 0
                    ? OffsetDateTime.parse(text.replace('t', 'T').replace('z', 'Z')) : dayEnd(SheetDates.parse(text));
        } catch (DateTimeParseException | NumberFormatException e) {
            errors.add(new ImportRowError(rowNumber, "expiresAt", ImportRowError.INVALID,
                    "must be a date such as 2027-03-31, or a time with its offset such as 2027-03-31T23:59:59+09:00"));
            return null;
        } catch (DateTimeException e) {
            errors.add(new ImportRowError(rowNumber, "expiresAt", ImportRowError.INVALID, "is not a date: " + e.getMessage()));
            return null;
        }
        if (expiresAt.getYear() > ApiLimits.YEAR_MAX) {
            errors.add(new ImportRowError(rowNumber, "expiresAt", ImportRowError.INVALID, "must be of a year up to " + ApiLimits.YEAR_MAX));
            return null;
        }
        if (!expiresAt.toInstant().isAfter(now)) {
            errors.add(new ImportRowError(rowNumber, "expiresAt", EXPIRED, "is past: the points expired in the old system"));
            return null;
        }
        return expiresAt;
    }

    private OffsetDateTime dayEnd(LocalDate day) {
        return day.plusDays(1).atStartOfDay(programZone).toOffsetDateTime();
    }
}
