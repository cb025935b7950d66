package io.pointsledger.segments;

import io.pointsledger.tiers.Tier;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.LocalDate;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * What segment rules ask of a member. Recency, frequency, monetary value and age are as of the run
 * that last measured them ({@code measuredAsOf}); their scores are by the newest finished run's
 * cutoffs; region, tier and churn risk are current.
 */
@RegisterForReflection(serialization = true)
@Schema(description = "A member's segment attributes. The scores are null for a member with no purchase in the window, "
        + "the measures null before a run has measured the member.",
        example = """
        {"memberId": "0b4f8d52-52c8-4c2e-9d4b-8a4f6e1b2c3d", "measuredAsOf": "2026-11-30", "recencyDays": 12, "frequency": 9,
         "monetary": 482000, "recencyScore": 5, "frequencyScore": 4, "monetaryScore": 4, "age": 34, "region": "Seoul",
         "tier": "SILVER", "churnRisk": 0.21}""")
public record MemberAttributes(
        UUID memberId,
        @Schema(nullable = true, description = "The day of the run that measured the member") LocalDate measuredAsOf,
        @Schema(nullable = true, minimum = "0", description = "Whole days from the last purchase to that day") Integer recencyDays,
        @Schema(nullable = true, minimum = "0", description = "Purchases in the window") Integer frequency,
        @Schema(nullable = true, minimum = "0", description = "Their amount, in minor units") Long monetary,
        @Schema(nullable = true, minimum = "1", maximum = "5") Integer recencyScore,
        @Schema(nullable = true, minimum = "1", maximum = "5") Integer frequencyScore,
        @Schema(nullable = true, minimum = "1", maximum = "5") Integer monetaryScore,
        @Schema(nullable = true, minimum = "0") Integer age,
        @Schema(nullable = true) String region,
        Tier tier,
        @Schema(nullable = true, minimum = "0", maximum = "1") Double churnRisk) {
}
