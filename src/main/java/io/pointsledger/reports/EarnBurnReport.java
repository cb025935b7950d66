package io.pointsledger.reports;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Points in and out per day of a period, with the bonuses of each campaign. */
@Schema(example = """
        {"from": "2026-11-01", "to": "2026-12-01", "timeZone": "Asia/Seoul", "partnerId": null, "channel": null, "tier": null,
         "recordedUntil": "2026-11-30T08:59:30Z",
         "days": [{"day": "2026-11-01", "issued": 125000, "bonus": 8000, "redeemed": 40000, "rewardsClaimed": 5000, "reversed": -1200,
                   "expired": 3000, "donated": 500, "adjusted": 0, "migrated": 0, "held": 9000, "released": 1000, "net": 83300,
                   "earns": 1040, "purchaseAmountMinorUnits": 12500000}],
         "totals": {"day": null, "issued": 125000, "bonus": 8000, "redeemed": 40000, "rewardsClaimed": 5000, "reversed": -1200,
                    "expired": 3000, "donated": 500, "adjusted": 0, "migrated": 0, "held": 9000, "released": 1000, "net": 83300,
                    "earns": 1040, "purchaseAmountMinorUnits": 12500000},
         "campaigns": [{"campaignId": "0193a1b2-7c4d-7e5f-8a9b-0c1d2e3f4a5b", "name": "Double points weekend", "grants": 312, "points": 8000}]}""")
public record EarnBurnReport(
        @Schema(description = "First day, included") LocalDate from,
        @Schema(description = "Last day, excluded") LocalDate to,
        @Schema(description = "The program's time zone, in which days begin and end") String timeZone,
        @Schema(nullable = true) String partnerId,
        @Schema(nullable = true) String channel,
        @Schema(nullable = true, description = "Only transfers of members of this tier when they were recorded") String tier,
        @Schema(nullable = true, description = "The figures count the transfers recorded before this instant: the rollups' last slice, "
                + "normally 2 to 2¼ minutes ago; null before anything is rolled up") OffsetDateTime recordedUntil,
        @Schema(description = "Every day of the period, oldest first") List<EarnBurnDay> days,
        EarnBurnDay totals,
        @Schema(description = "Bonuses per campaign over the period, most points first") List<CampaignBonus> campaigns) implements CsvReport {

    @Override
    public List<String> csvHeader() {
        return EarnBurnDay.CSV_HEADER;
    }

    @Override
    public List<List<Object>> csvRows() {
        List<List<Object>> rows = new ArrayList<>();
        days.forEach(day -> rows.add(day.csvRow()));
        rows.add(totals.csvRow());
        return rows;
    }
}
