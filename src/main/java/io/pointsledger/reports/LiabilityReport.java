package io.pointsledger.reports;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The points the program owes its members now, and what they are worth: outstanding (posted
 * points of members with a positive balance), of which held (reserved by holds, not yet
 * captured); by tier, by the partner that issued them, and expiring soon.
 */
@Schema(example = """
        {"asOf": "2026-11-30T09:00:00Z", "tier": null, "segmentId": null, "segmentMembersAsOf": null, "currency": "KRW", "pointValuePerThousandPoints": 1000,
         "outstandingPoints": 52000000, "heldPoints": 120000, "availablePoints": 51880000, "owedPoints": -1500,
         "outstandingValueMinorUnits": 52000000, "members": 1000000, "membersWithPoints": 640000,
         "byTier": [{"tier": "BASIC", "members": 900000, "outstandingPoints": 30000000, "heldPoints": 100000, "valueMinorUnits": 30000000}],
         "byPartnerOfIssue": [{"partnerId": "store-gangnam", "outstandingPoints": 20000000, "valueMinorUnits": 20000000}],
         "byPartnerOfIssueUntil": "2026-11-30T08:59:30Z", "notYetAttributedPoints": 1200,
         "expiring": [{"withinDays": 30, "points": 1200000, "valueMinorUnits": 1200000}]}""")
public record LiabilityReport(
        OffsetDateTime asOf,
        @Schema(nullable = true, description = "The tier the totals, byTier and expiring are narrowed to") String tier,
        @Schema(nullable = true, description = "The segment whose members the totals, byTier and expiring are narrowed to")
        UUID segmentId,
        @Schema(nullable = true, description = "When the segment's members were counted: a report narrowed to a segment reads its "
                + "members as the rule admitted them then, counted again after points-ledger.segments.snapshot-max-age or a change "
                + "of the rule (null when not narrowed)") OffsetDateTime segmentMembersAsOf,
        String currency,
        long pointValuePerThousandPoints,
        long outstandingPoints,
        long heldPoints,
        @Schema(description = "outstandingPoints less heldPoints") long availablePoints,
        @Schema(description = "The negative balances, summed: points members owe after returns of spent points") long owedPoints,
        long outstandingValueMinorUnits,
        long members,
        long membersWithPoints,
        List<TierLiability> byTier,
        @Schema(description = "What is left of the points each partner issued, as the rollups hold it (until "
                + "byPartnerOfIssueUntil): the whole program's, whatever the tier or segment asked")
        List<PartnerLiability> byPartnerOfIssue,
        @Schema(nullable = true, description = "byPartnerOfIssue counts the transfers recorded before this instant: the rollups' last "
                + "slice, normally 2 to 2¼ minutes ago; null before anything is rolled up") OffsetDateTime byPartnerOfIssueUntil,
        @Schema(nullable = true, description = "outstandingPoints less the sum of byPartnerOfIssue: what was issued and spent after "
                + "byPartnerOfIssueUntil, not yet attributed to a partner; null when a tier or segment is asked") Long notYetAttributedPoints,
        @Schema(description = "Points expiring within 30, 60 and 90 days") List<ExpiringPoints> expiring) implements CsvReport {

    /** One tier's share of the liability. */
    @Schema(example = """
            {"tier": "GOLD", "members": 20000, "outstandingPoints": 9000000, "heldPoints": 5000, "valueMinorUnits": 9000000}""")
    public record TierLiability(String tier, long members, long outstandingPoints, long heldPoints, long valueMinorUnits) {
    }

    /** What is left of the points one partner issued. */
    @Schema(example = """
            {"partnerId": "store-gangnam", "outstandingPoints": 20000000, "valueMinorUnits": 20000000}""")
    public record PartnerLiability(String partnerId, long outstandingPoints, long valueMinorUnits) {
    }

    /** Points that expire within a number of days from now, unless spent first. */
    @Schema(example = """
            {"withinDays": 30, "points": 1200000, "valueMinorUnits": 1200000}""")
    public record ExpiringPoints(int withinDays, long points, long valueMinorUnits) {
    }

    /** What the total row counts: all, a tier, a segment, or both. */
    private String totalKey() {
        if (segmentId == null) {
            return tier == null ? "all" : tier;
        }
        return (tier == null ? "" : tier + " ") + "segment " + segmentId;
    }

    @Override
    public List<String> csvHeader() {
        return List.of("section", "key", "members", "points", "heldPoints", "valueMinorUnits");
    }

    @Override
    public List<List<Object>> csvRows() {
        List<List<Object>> rows = new ArrayList<>();
        rows.add(Arrays.asList("total", totalKey(), members, outstandingPoints, heldPoints,
                outstandingValueMinorUnits));
        byTier.forEach(row -> rows.add(Arrays.asList("tier", row.tier(), row.members(), row.outstandingPoints(), row.heldPoints(),
                row.valueMinorUnits())));
        byPartnerOfIssue.forEach(row -> rows.add(Arrays.asList("partnerOfIssue", row.partnerId(), null, row.outstandingPoints(),
                null, row.valueMinorUnits())));
        if (notYetAttributedPoints != null) {
            rows.add(Arrays.asList("notYetAttributed", "all", null, notYetAttributedPoints, null, null));
        }
        expiring.forEach(row -> rows.add(Arrays.asList("expiringWithinDays", String.valueOf(row.withinDays()), null, row.points(),
                null, row.valueMinorUnits())));
        return rows;
    }
}
