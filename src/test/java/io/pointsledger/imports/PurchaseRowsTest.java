package io.pointsledger.imports;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Purchase lines as files write them, and how consecutive lines gather into purchases. */
class PurchaseRowsTest {

    private static final List<String> HEADER = List.of("externalId", "orderId", "occurredAt", "sku", "quantity", "unitPrice", "amount");
    private static final Instant IMPORT_START = Instant.parse("2026-11-30T00:00:00Z");

    private static PurchaseRows rows(String zone) {
        return new PurchaseRows(PurchaseColumns.of(HEADER), ZoneId.of(zone), IMPORT_START);
    }

    private static OffsetDateTime occurredAt(String zone, String text) {
        PurchaseRows.Parsed parsed = rows(zone).parse(2, List.of("c1", "o1", text, "S1", "1", "100", ""));
        assertEquals(List.of(), parsed.errors(), text);
        return parsed.line().occurredAt();
    }

    @Test
    void shouldReadEveryWayAFileWritesThePurchaseTime() {
        assertEquals(Instant.parse("2026-03-31T05:05:00Z"), occurredAt("Asia/Seoul", "2026-03-31T14:05:00+09:00").toInstant());
        assertEquals(Instant.parse("2026-03-31T19:05:00Z"), occurredAt("Asia/Seoul", "2026-03-31T14:05:00-05:00").toInstant());
        assertEquals(Instant.parse("2026-03-31T05:05:00Z"), occurredAt("Asia/Seoul", "2026-03-31 14:05:00").toInstant(),
                "no offset: the program's time zone");
        assertEquals(Instant.parse("2026-03-31T14:05:00Z"), occurredAt("UTC", "2026-03-31T14:05Z").toInstant());
        assertEquals(Instant.parse("2026-03-30T15:00:00Z"), occurredAt("Asia/Seoul", "2026-03-31").toInstant(),
                "a date alone: its start in the program's time zone");
        // A spreadsheet's serial: 46112 is 2026-03-31; .5 is noon, .75 is 18:00.
        assertEquals(Instant.parse("2026-03-31T12:00:00Z"), occurredAt("UTC", "46112.5").toInstant());
        assertEquals(Instant.parse("2026-03-31T18:00:00Z"), occurredAt("UTC", "46112.75").toInstant());
        assertEquals(Instant.parse("2026-03-31T00:00:00Z"), occurredAt("UTC", "46112").toInstant());
        assertEquals(Instant.parse("2010-12-01T08:26:00Z"), occurredAt("UTC", "40513.35138888889").toInstant(),
                "a serial's fraction is rounded to the second");
    }

    @Test
    void shouldRefuseATimeInTheFutureOrOfAnotherCentury() {
        PurchaseRows rows = rows("UTC");
        assertEquals("NOT_IN_THE_PAST", rows.parse(2, List.of("c1", "o1", "2026-11-30T00:06:00Z", "S1", "1", "1", "")).errors()
                .get(0).code(), "more than five minutes after the import began");
        assertEquals(List.of(), rows.parse(2, List.of("c1", "o1", "2026-11-30T00:04:00Z", "S1", "1", "1", "")).errors(), "within the skew");
        assertEquals("OUT_OF_RANGE", rows.parse(2, List.of("c1", "o1", "1969-12-31", "S1", "1", "1", "")).errors().get(0).code());
        assertEquals("INVALID", rows.parse(2, List.of("c1", "o1", "31/03/2026", "S1", "1", "1", "")).errors().get(0).code());
        assertEquals("INVALID", rows.parse(2, List.of("c1", "o1", "2026-02-30", "S1", "1", "1", "")).errors().get(0).code());
    }

    @Test
    void shouldPriceALineByItsAmountElseByQuantityTimesUnitPrice() {
        PurchaseRows rows = rows("UTC");
        assertEquals(250, rows.parse(2, List.of("c1", "o1", "2026-03-31", "S1", "5", "60", "250")).line().amount());
        assertEquals(300, rows.parse(2, List.of("c1", "o1", "2026-03-31", "S1", "5", "60", "")).line().amount());
        assertEquals(0, rows.parse(2, List.of("c1", "o1", "2026-03-31", "S1", "", "", "")).line().amount(), "a product without a price");
        assertEquals(1, rows.parse(2, List.of("c1", "o1", "2026-03-31", "S1", "", "", "")).line().quantity());
        assertEquals("OUT_OF_RANGE", rows.parse(2, List.of("c1", "o1", "2026-03-31", "S1", "100000", "10000000000000", "")).errors()
                .get(0).code(), "quantity x unitPrice above the amount limit");
    }

    private static PurchaseRows.Line line(long row, String order, String time, long amount) {
        return new PurchaseRows.Line(row, "c1", order, OffsetDateTime.parse(time), null, "S" + row, null, 1, null, amount);
    }

    @Test
    void shouldGatherConsecutiveLinesIntoOnePurchaseAtItsEarliestTime() {
        PurchaseImportHandler.Prepared prepared = PurchaseImportHandler.gather(List.of(
                line(2, "A", "2026-03-31T10:01:00Z", 100), line(3, "A", "2026-03-31T10:00:00Z", 50),
                line(4, "B", "2026-03-31T11:00:00Z", 10), line(5, "A", "2026-03-31T10:00:00Z", 1),
                line(6, "B", "2026-04-02T11:00:01Z", 1)));

        assertEquals(2, prepared.purchases().size());
        assertEquals(List.of(List.of(5L, "orderId", "NOT_CONSECUTIVE"), List.of(6L, "occurredAt", "INCONSISTENT")),
                prepared.refused().stream().map(error -> List.<Object>of(error.row(), error.field(), error.code())).toList());
        var first = prepared.purchases().get(0).of(java.util.UUID.randomUUID());
        assertEquals(150, first.amount());
        assertEquals(Instant.parse("2026-03-31T10:00:00Z"), first.occurredAt().toInstant());
        assertEquals(List.of("S2", "S3"), first.skus());
    }

    @Test
    void shouldRefuseTheLinesOfAPurchaseBeyondItsLimit() {
        List<PurchaseRows.Line> lines = new ArrayList<>();
        for (int row = 2; row < 2 + PurchaseImportHandler.LINES_PER_PURCHASE_MAX + 2; row++) {
            lines.add(line(row, "A", "2026-03-31T10:00:00Z", 1));
        }
        PurchaseImportHandler.Prepared prepared = PurchaseImportHandler.gather(lines);

        assertEquals(PurchaseImportHandler.LINES_PER_PURCHASE_MAX, prepared.purchases().get(0).lines().size());
        assertEquals(List.of("TOO_MANY_LINES", "TOO_MANY_LINES"), prepared.refused().stream().map(ImportRowError::code).toList());
    }
}
