package io.pointsledger.reports;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Per monthly cohort (the month points were issued in): what became of the points issued, so
 * far. Breakage is the share that expired unused; the redeemed share, the share spent.
 */
@Schema(example = """
        {"from": "2025-12-01", "to": "2026-12-01", "timeZone": "Asia/Seoul", "partnerId": null, "channel": null, "recordedUntil": "2026-11-30T08:59:30Z",
         "cohorts": [{"month": "2025-12", "issued": 1000000, "redeemed": 610000, "expired": 180000, "reversed": 10000,
                      "adjusted": 0, "outstanding": 200000, "breakageRate": 0.18, "redeemedShare": 0.61}]}""")
public record BreakageReport(
        @Schema(description = "The first cohort is this day's month") LocalDate from,
        @Schema(description = "Cohorts of months that begin before this day") LocalDate to,
        String timeZone,
        @Schema(nullable = true, description = "Only the points this partner issued") String partnerId,
        @Schema(nullable = true, description = "Only the points issued through this channel") String channel,
        @Schema(nullable = true, description = "The figures count the transfers recorded before this instant: the rollups' last slice, "
                + "normally 2 to 2¼ minutes ago; null before anything is rolled up") OffsetDateTime recordedUntil,
        @Schema(description = "Every month of the period, oldest first") List<Cohort> cohorts) implements CsvReport {

    /** What became of one month's issued points. outstanding = issued - redeemed - expired - reversed - adjusted. */
    @Schema(example = """
            {"month": "2025-12", "issued": 1000000, "redeemed": 610000, "expired": 180000, "reversed": 10000, "adjusted": 0,
             "outstanding": 200000, "breakageRate": 0.18, "redeemedShare": 0.61}""")
    public record Cohort(
            @Schema(description = "YYYY-MM") String month,
            @Schema(description = "Points put in new lots: earns, migrations and positive adjustments") long issued,
            @Schema(description = "Spent: redeemed, captured, claimed (less cancelled claims), donated, less refunds") long redeemed,
            long expired,
            @Schema(description = "Taken back by reversals of the earns that issued them") long reversed,
            @Schema(description = "Taken by negative adjustments") long adjusted,
            long outstanding,
            @Schema(nullable = true, description = "expired / issued, 4 decimals; null when nothing was issued") Double breakageRate,
            @Schema(nullable = true, description = "redeemed / issued, 4 decimals; null when nothing was issued") Double redeemedShare) {
    }

    @Override
    public List<String> csvHeader() {
        return List.of("month", "issued", "redeemed", "expired", "reversed", "adjusted", "outstanding", "breakageRate", "redeemedShare");
    }

    @Override
    public List<List<Object>> csvRows() {
        List<List<Object>> rows = new ArrayList<>();
        cohorts.forEach(cohort -> rows.add(Arrays.asList(cohort.month(), cohort.issued(), cohort.redeemed(), cohort.expired(),
                cohort.reversed(), cohort.adjusted(), cohort.outstanding(), cohort.breakageRate(), cohort.redeemedShare())));
        return rows;
    }
}
