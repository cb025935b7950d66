package io.pointsledger.imports;

import io.pointsledger.ledger.SalesChannel;
import io.pointsledger.platform.ApiLimits;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * A purchase history file's rows, each one line of a purchase, as the lines to bring over or the
 * reasons a row is refused. A line names a product (sku, with a quantity, 1 when left out, and a
 * unit price or the line's amount) or only an amount; amounts are whole minor units of the
 * program's currency. A time without an offset is the program time zone's.
 */
final class PurchaseRows {

    static final String OUT_OF_RANGE = "OUT_OF_RANGE";
    /** Purchases older than this are no one's purchase history: a mistyped year, not a customer. */
    static final int YEAR_FIRST = 1970;
    /** How far past the import's start a purchase's time may be: clocks of tills and of this service differ. */
    static final Duration FUTURE_SKEW_MAX = Duration.ofMinutes(5);

    /** One line of a purchase; {@code sku} null for a line that gives only an amount. */
    record Line(long rowNumber, String externalId, String orderId, OffsetDateTime occurredAt, String channel, String sku,
            String category, long quantity, Long unitPrice, long amount) {

        /** The purchase the line belongs to: the member's external id and the order's. */
        List<String> purchaseKey() {
            return List.of(externalId, orderId);
        }
    }

    /** A row read: the line it states, or why it is refused (never both). */
    record Parsed(Line line, List<ImportRowError> errors) {
    }

    private final ImportColumns<PurchaseColumns.Field> columns;
    private final ZoneId programZone;
    private final Instant latest;

    /** {@code importStart}: what a purchase must not be after (beyond a skew), the same however often the job resumes. */
    PurchaseRows(ImportColumns<PurchaseColumns.Field> columns, ZoneId programZone, Instant importStart) {
        this.columns = columns;
        this.programZone = programZone;
        this.latest = importStart.plus(FUTURE_SKEW_MAX);
    }

    /** The purchase a row's raw cells name, valid or not; null when it names none. */
    List<String> purchaseKey(List<String> cells) {
        String externalId = columns.cell(cells, PurchaseColumns.Field.EXTERNAL_ID);
        String orderId = columns.cell(cells, PurchaseColumns.Field.ORDER_ID);
        return externalId == null || orderId == null ? null : List.of(externalId.strip(), orderId.strip());
    }

    Parsed parse(long rowNumber, List<String> cells) {
        List<ImportRowError> errors = new ArrayList<>();
        if (columns.overflows(cells)) {
            errors.add(new ImportRowError(rowNumber, "row", ImportRowError.TOO_MANY_COLUMNS, "has text in a column the header does not name"));
        }
        String externalId = columns.required(rowNumber, cells, PurchaseColumns.Field.EXTERNAL_ID, ApiLimits.EXTERNAL_ID_LENGTH_MAX, errors);
        String orderId = columns.required(rowNumber, cells, PurchaseColumns.Field.ORDER_ID, ApiLimits.ORDER_ID_LENGTH_MAX, errors);
        OffsetDateTime occurredAt = occurredAt(rowNumber,
                columns.required(rowNumber, cells, PurchaseColumns.Field.OCCURRED_AT, Integer.MAX_VALUE, errors), errors);
        String channel = channel(rowNumber, columns.text(rowNumber, cells, PurchaseColumns.Field.CHANNEL, errors), errors);
        String sku = columns.optional(rowNumber, cells, PurchaseColumns.Field.SKU, ApiLimits.SKU_LENGTH_MAX, errors);
        String category = columns.optional(rowNumber, cells, PurchaseColumns.Field.CATEGORY, ApiLimits.CATEGORY_LENGTH_MAX, errors);
        Long quantity = number(rowNumber, cells, PurchaseColumns.Field.QUANTITY, 1, ApiLimits.ITEM_QUANTITY_MAX, errors);
        Long unitPrice = number(rowNumber, cells, PurchaseColumns.Field.UNIT_PRICE, 0, ApiLimits.AMOUNT_MINOR_UNITS_MAX, errors);
        Long amount = number(rowNumber, cells, PurchaseColumns.Field.AMOUNT, 0, ApiLimits.AMOUNT_MINOR_UNITS_MAX, errors);
        requireProductOrAmount(rowNumber, sku, category, quantity, unitPrice, amount, errors);
        long lineAmount = lineAmount(rowNumber, quantity, unitPrice, amount, errors);
        errors.sort(Comparator.comparing(ImportRowError::field));
        return errors.isEmpty()
                ? new Parsed(new Line(rowNumber, externalId, orderId, occurredAt, channel, sku, category,
                        quantity == null ? 1 : quantity, unitPrice, lineAmount), List.of())
                : new Parsed(null, errors);
    }

    /** A line is a product bought or an amount paid; a quantity, price or category describes a product. */
    private static void requireProductOrAmount(long rowNumber, String sku, String category, Long quantity, Long unitPrice,
            Long amount, List<ImportRowError> errors) {
        if (sku != null) {
            return;
        }
        if (category != null || quantity != null || unitPrice != null) {
            errors.add(new ImportRowError(rowNumber, "sku", ImportRowError.REQUIRED,
                    "is required for a line with a quantity, unit price or category"));
        } else if (amount == null && errors.stream().noneMatch(error -> error.field().equals("amount"))) {
            errors.add(new ImportRowError(rowNumber, "amount", ImportRowError.REQUIRED,
                    "is required for a line without a product (sku)"));
        }
    }

    /** The amount given, else quantity times unit price, else 0 (a product whose price the file does not say). */
    private static long lineAmount(long rowNumber, Long quantity, Long unitPrice, Long amount, List<ImportRowError> errors) {
        if (amount != null) {
            return amount;
        }
        if (unitPrice == null) {
            return 0;
        }
        long total = (quantity == null ? 1 : quantity) * unitPrice; // at most 10^5 x 10^13: no overflow
        if (total > ApiLimits.AMOUNT_MINOR_UNITS_MAX) {
            errors.add(new ImportRowError(rowNumber, "unitPrice", OUT_OF_RANGE, "quantity x unitPrice must be at most "
                    + ApiLimits.AMOUNT_MINOR_UNITS_MAX));
            return 0;
        }
        return total;
    }

    private Long number(long rowNumber, List<String> cells, PurchaseColumns.Field field, long minimum, long maximum,
            List<ImportRowError> errors) {
        String text = columns.text(rowNumber, cells, field, errors);
        if (text == null) {
            return null;
        }
        SheetNumbers.Result number = SheetNumbers.whole(text, minimum, maximum);
        if (!number.wellFormed()) {
            errors.add(new ImportRowError(rowNumber, field.fieldName(), ImportRowError.INVALID, "must be a whole number, digits only"
                    + (field == PurchaseColumns.Field.QUANTITY ? "" : " (minor units of the program currency: cents, not dollars)")));
        } else if (number.value() == null) {
            errors.add(new ImportRowError(rowNumber, field.fieldName(), OUT_OF_RANGE, "must be from " + minimum + " to " + maximum));
        }
        return number.value();
    }

    private static String channel(long rowNumber, String text, List<ImportRowError> errors) {
        if (text == null) {
            return null;
        }
        for (SalesChannel channel : SalesChannel.values()) {
            if (channel.name().equals(text.toUpperCase(Locale.ROOT))) {
                return channel.name();
            }
        }
        errors.add(new ImportRowError(rowNumber, "channel", ImportRowError.INVALID, "must be POS, ONLINE or PARTNER"));
        return null;
    }

    /** A time with its offset, a time without one (the program's zone), a date (its start there), or a spreadsheet's serial. */
    private OffsetDateTime occurredAt(long rowNumber, String text, List<ImportRowError> errors) {
        if (text == null) {
            return null;
        }
        OffsetDateTime occurredAt;
        try {
            occurredAt = hasOffset(text) ? OffsetDateTime.parse(text.replace('t', 'T').replace('z', 'Z').replace(' ', 'T'))
                    : SheetDates.parseDateTime(text).atZone(programZone).toOffsetDateTime();
        } catch (DateTimeParseException | NumberFormatException e) {
            errors.add(new ImportRowError(rowNumber, "occurredAt", ImportRowError.INVALID, "must be a time such as "
                    + "2026-03-31T14:05:00+09:00, 2026-03-31 14:05 (the program's time zone) or a date such as 2026-03-31"));
            return null;
        } catch (DateTimeException e) {
            errors.add(new ImportRowError(rowNumber, "occurredAt", ImportRowError.INVALID, "is not a time: " + e.getMessage()));
            return null;
        }
        if (occurredAt.getYear() < YEAR_FIRST) {
            errors.add(new ImportRowError(rowNumber, "occurredAt", OUT_OF_RANGE, "must be of " + YEAR_FIRST + " or later"));
            return null;
        }
        if (occurredAt.toInstant().isAfter(latest)) {
            errors.add(new ImportRowError(rowNumber, "occurredAt", MemberRows.NOT_IN_THE_PAST, "must be in the past"));
            return null;
        }
        return occurredAt;
    }

    /** Whether a time names its offset: Z, or a sign after the time of day (a date's own hyphens come before it). */
    private static boolean hasOffset(String text) {
        if (text.length() <= 10) {
            return false;
        }
        String time = text.substring(10);
        return time.endsWith("Z") || time.endsWith("z") || time.indexOf('+') >= 0 || time.indexOf('-') >= 0;
    }
}
