package io.pointsledger.campaigns;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * How the variants of a campaign run as an A/B test compare, over the members exposed so far: per
 * variant, members exposed, the share who redeemed points after exposure, spend per member after
 * exposure (minor units), the campaign's bonus points per member and the extra points it cost per
 * member against the control, and each non-control variant's uplift over the control with a 95 %
 * confidence interval ({@code method} names the test).
 */
@Schema(example = """
        {"campaignId": "0193a1b2-7c4d-7e5f-8a9b-0c1d2e3f4a5b", "name": "Double points or a 3 000-point bonus",
         "control": "holdout", "asOf": "2026-11-29T10:00:00Z",
         "method": "Welch's unequal-variance interval, normal approximation (two-sided 95 %), at least 30 members per group",
         "variants": [
           {"variant": "holdout", "control": true, "membersExposed": 1204, "redemptionRate": 0.112, "spendPerMember": 4210.5,
            "bonusPointsPerMember": 0.0, "incrementalPointsPerMember": 0.0, "spendUplift": null, "redemptionRateUplift": null},
           {"variant": "double", "control": false, "membersExposed": 1187, "redemptionRate": 0.131, "spendPerMember": 4630.2,
            "bonusPointsPerMember": 41.3, "incrementalPointsPerMember": 41.3,
            "spendUplift": {"difference": 419.7, "low": 102.4, "high": 737.0, "verdict": "SIGNIFICANT"},
            "redemptionRateUplift": {"difference": 0.019, "low": -0.007, "high": 0.045, "verdict": "NOT_YET_SIGNIFICANT"}}]}""")
public record ExperimentReport(UUID campaignId, String name, String control, OffsetDateTime asOf, String method,
        List<VariantResult> variants) {

    /** One variant's numbers; the uplifts are null for the control. */
    public record VariantResult(String variant, boolean control, long membersExposed, double redemptionRate,
            double spendPerMember, double bonusPointsPerMember, double incrementalPointsPerMember,
            @Schema(nullable = true) Uplift spendUplift, @Schema(nullable = true) Uplift redemptionRateUplift) {
    }

    /**
     * A difference from the control and its 95 % confidence interval. SIGNIFICANT when the interval
     * excludes 0 and both groups have the members the approximation needs; else NOT_YET_SIGNIFICANT.
     */
    public record Uplift(double difference, double low, double high, Verdict verdict) {
    }

    /** Whether the data show a difference yet. */
    public enum Verdict {
        SIGNIFICANT,
        NOT_YET_SIGNIFICANT
    }
}
