package io.pointsledger.reports;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The members, month by month: who enrolled and through which channel, who bought, who came back
 * within repurchaseDays, whose tier moved, what each month's enrolments have bought since, and how
 * the benefits issued were used; with the tiers as they stand now.
 */
@Schema(example = """
        {"from": "2026-10-01", "to": "2026-12-01", "timeZone": "Asia/Seoul", "repurchaseDays": 30, "segmentId": null, "segmentMembersAsOf": null,
         "recordedUntil": "2026-11-30T08:59:30Z",
         "months": [{"month": "2026-10", "enrolled": 1200, "enrolledOnline": 700, "enrolledOffline": 450, "enrolledBulk": 50,
                     "activeMembers": 52000, "repurchaseSettled": 52000, "repurchased": 20800, "repurchaseRate": 0.4,
                     "upgrades": 310, "downgrades": 40, "cohortPurchases": 2900, "cohortAmountMinorUnits": 145000000,
                     "averageLifetimeValueMinorUnits": 120833, "couponsIssued": 5000, "couponsRedeemed": 1750, "couponUseRate": 0.35,
                     "rewardClaims": 800, "rewardsFulfilled": 700, "rewardsCancelled": 20, "rewardFulfilmentRate": 0.875}],
         "tiers": [{"tier": "BASIC", "members": 900000}, {"tier": "SILVER", "members": 80000}, {"tier": "GOLD", "members": 20000}],
         "tierMovements": [{"from": "BASIC", "to": "SILVER", "members": 500}, {"from": "SILVER", "to": "BASIC", "members": 60}]}""")
public record MembersReport(
        @Schema(description = "The first month is this day's month") LocalDate from,
        @Schema(description = "Months that begin before this day") LocalDate to,
        @Schema(description = "The program's time zone, in which months begin and end") String timeZone,
        @Schema(description = "A member came back when they bought again within these days of their first purchase of a month")
        int repurchaseDays,
        @Schema(nullable = true, description = "Only the members of this segment: every figure but the lifetime value's, "
                + "which the rollups keep per month of enrolment, not per member (null)") UUID segmentId,
        @Schema(nullable = true, description = "When the segment's members were counted: a report narrowed to a segment reads its "
                + "members as the rule admitted them then, counted again after points-ledger.segments.snapshot-max-age or a change "
                + "of the rule (null when not narrowed)") OffsetDateTime segmentMembersAsOf,
        @Schema(nullable = true, description = "The figures count the purchases recorded before this instant: the rollups' last slice, "
                + "normally 2 to 2¼ minutes ago; null before anything is rolled up") OffsetDateTime recordedUntil,
        @Schema(description = "Every month of the period, oldest first") List<Month> months,
        @Schema(description = "Members per tier now") List<TierMembers> tiers,
        @Schema(description = "Tier changes over the months of the period, per move, most first") List<TierMovement> tierMovements)
        implements CsvReport {

    /** One month. Shares are 4 decimals, null when there is nothing to divide by. */
    @Schema(example = """
            {"month": "2026-10", "enrolled": 1200, "enrolledOnline": 700, "enrolledOffline": 450, "enrolledBulk": 50,
             "activeMembers": 52000, "repurchaseSettled": 52000, "repurchased": 20800, "repurchaseRate": 0.4,
             "upgrades": 310, "downgrades": 40, "cohortPurchases": 2900, "cohortAmountMinorUnits": 145000000,
             "averageLifetimeValueMinorUnits": 120833, "couponsIssued": 5000, "couponsRedeemed": 1750, "couponUseRate": 0.35,
             "rewardClaims": 800, "rewardsFulfilled": 700, "rewardsCancelled": 20, "rewardFulfilmentRate": 0.875}""")
    public record Month(
            @Schema(description = "YYYY-MM") String month,
            @Schema(description = "Members enrolled in the month (erased ones too: what they bought counts in the lifetime value)")
            long enrolled,
            @Schema(description = "Enrolled online (web, app)") long enrolledOnline,
            @Schema(description = "Enrolled at a till") long enrolledOffline,
            @Schema(description = "Enrolled by an import") long enrolledBulk,
            @Schema(description = "Members who bought in the month (an earn for an amount)") long activeMembers,
            @Schema(description = "Active members whose repurchaseDays after their first purchase of the month have passed")
            long repurchaseSettled,
            @Schema(description = "Of those, the members who bought again, on a later day, within repurchaseDays of the first purchase")
            long repurchased,
            @Schema(nullable = true, description = "repurchased / repurchaseSettled") Double repurchaseRate,
            @Schema(description = "Tier changes upwards in the month (recorded from this version of the service on)") long upgrades,
            @Schema(description = "Tier changes downwards in the month") long downgrades,
            @Schema(nullable = true, description = "Purchases, ever since, of the members enrolled in the month; null when a segment "
                    + "is asked") Long cohortPurchases,
            @Schema(nullable = true, description = "Their amount, in minor units of the program currency; null when a segment is asked")
            Long cohortAmountMinorUnits,
            @Schema(nullable = true, description = "cohortAmountMinorUnits / enrolled, rounded: what a member enrolled in the month has "
                    + "bought on average so far; null when no one enrolled or a segment is asked") Long averageLifetimeValueMinorUnits,
            @Schema(description = "Coupons issued in the month") long couponsIssued,
            @Schema(description = "Of those, the coupons redeemed so far") long couponsRedeemed,
            @Schema(nullable = true, description = "couponsRedeemed / couponsIssued") Double couponUseRate,
            @Schema(description = "Rewards claimed in the month") long rewardClaims,
            @Schema(description = "Of those, the claims fulfilled so far") long rewardsFulfilled,
            @Schema(description = "Of those, the claims cancelled") long rewardsCancelled,
            @Schema(nullable = true, description = "rewardsFulfilled / (rewardClaims - rewardsCancelled)") Double rewardFulfilmentRate) {
    }

    @Schema(example = """
            {"tier": "SILVER", "members": 80000}""")
    public record TierMembers(String tier, long members) {
    }

    @Schema(example = """
            {"from": "BASIC", "to": "SILVER", "members": 500}""")
    public record TierMovement(String from, String to, @Schema(description = "Changes from one to the other") long members) {
    }

    static final List<String> CSV_HEADER = List.of("month", "enrolled", "enrolledOnline", "enrolledOffline", "enrolledBulk", "activeMembers",
            "repurchaseSettled", "repurchased", "repurchaseRate", "upgrades", "downgrades", "cohortPurchases", "cohortAmountMinorUnits",
            "averageLifetimeValueMinorUnits", "couponsIssued", "couponsRedeemed", "couponUseRate", "rewardClaims", "rewardsFulfilled",
            "rewardsCancelled", "rewardFulfilmentRate");

    @Override
    public List<String> csvHeader() {
        return CSV_HEADER;
    }

    @Override
    public List<List<Object>> csvRows() {
        List<List<Object>> rows = new ArrayList<>();
        months.forEach(month -> rows.add(Arrays.asList(month.month(), month.enrolled(), month.enrolledOnline(), month.enrolledOffline(),
                month.enrolledBulk(), month.activeMembers(), month.repurchaseSettled(), month.repurchased(), month.repurchaseRate(),
                month.upgrades(), month.downgrades(), month.cohortPurchases(), month.cohortAmountMinorUnits(),
                month.averageLifetimeValueMinorUnits(), month.couponsIssued(), month.couponsRedeemed(), month.couponUseRate(),
                month.rewardClaims(), month.rewardsFulfilled(), month.rewardsCancelled(), month.rewardFulfilmentRate())));
        return rows;
    }
}
