package io.pointsledger.reports;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Sales over a period broken down one way, each row next to what it was before: for products,
 * categories, customers and hours of the week, in the period of the same length just before; for
 * months and quarters, a year before.
 */
@Schema(example = """
        {"from": "2026-11-01", "to": "2026-12-01", "previousFrom": "2026-10-02", "previousTo": "2026-11-01", "by": "PRODUCT",
         "timeZone": "Asia/Seoul", "partnerId": null, "channel": null, "tier": null, "segmentId": null, "segmentMembersAsOf": null, "recordedUntil": "2026-11-30T08:59:30Z",
         "totals": {"key": "total", "category": null, "count": 5200, "quantity": 7100, "amountMinorUnits": 98000000,
                    "previousAmountMinorUnits": 91000000, "change": 0.0769},
         "rows": [{"key": "SKU-1042", "category": "shoes", "count": 310, "quantity": 320, "amountMinorUnits": 24000000,
                   "previousAmountMinorUnits": 20000000, "change": 0.2}]}""")
public record SalesReport(
        LocalDate from,
        LocalDate to,
        @Schema(description = "The period compared with the totals (and, but for months and quarters, with each row)") LocalDate previousFrom,
        LocalDate previousTo,
        SalesBreakdown by,
        String timeZone,
        @Schema(nullable = true) String partnerId,
        @Schema(nullable = true, description = "Only sales through this channel") String channel,
        @Schema(nullable = true, description = "Only sales to members of this tier when they bought") String tier,
        @Schema(nullable = true, description = "Customers: only the members of this segment, the totals theirs") UUID segmentId,
        @Schema(nullable = true, description = "When the segment's members were counted: a report narrowed to a segment reads its "
                + "members as the rule admitted them then, counted again after points-ledger.segments.snapshot-max-age or a change "
                + "of the rule (null when not narrowed)") OffsetDateTime segmentMembersAsOf,
        @Schema(nullable = true, description = "The figures count the transfers recorded before this instant: the rollups' last slice, "
                + "normally 2 to 2¼ minutes ago; null before anything is rolled up") OffsetDateTime recordedUntil,
        Row totals,
        @Schema(description = "Products, categories and customers: the most sold first, limit at most; months, quarters and hours "
                + "of the week: in their order, every one of the period") List<Row> rows) implements CsvReport {

    /** One product, category, customer, month, quarter or hour of the week. */
    @Schema(example = """
            {"key": "SKU-1042", "category": "shoes", "count": 310, "quantity": 320, "amountMinorUnits": 24000000,
             "previousAmountMinorUnits": 20000000, "change": 0.2}""")
    public record Row(
            @Schema(description = "The SKU, the category ('' for none), the member id, YYYY-MM, YYYY-Qn, or the weekday and hour "
                    + "(MONDAY 09)") String key,
            @Schema(nullable = true, description = "A product's category") String category,
            @Schema(description = "Lines sold for products and categories; purchases otherwise") long count,
            @Schema(nullable = true, description = "Units sold, for products and categories") Long quantity,
            long amountMinorUnits,
            long previousAmountMinorUnits,
            @Schema(nullable = true, description = "amount / previous amount - 1, 4 decimals; null when nothing was sold before")
            Double change) {

        static Row of(String key, String category, long count, Long quantity, long amount, long previous) {
            return new Row(key, category, count, quantity, amount, previous,
                    previous == 0 ? null : Math.round((amount - previous) * 10_000.0 / previous) / 10_000.0);
        }
    }

    @Override
    public List<String> csvHeader() {
        return List.of("key", "category", "count", "quantity", "amountMinorUnits", "previousAmountMinorUnits", "change");
    }

    @Override
    public List<List<Object>> csvRows() {
        List<List<Object>> csv = new ArrayList<>();
        rows.forEach(row -> csv.add(Arrays.asList(row.key(), row.category(), row.count(), row.quantity(), row.amountMinorUnits(),
                row.previousAmountMinorUnits(), row.change())));
        csv.add(Arrays.asList(totals.key(), null, totals.count(), totals.quantity(), totals.amountMinorUnits(),
                totals.previousAmountMinorUnits(), totals.change()));
        return csv;
    }
}
