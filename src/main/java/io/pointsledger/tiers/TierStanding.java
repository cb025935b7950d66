package io.pointsledger.tiers;

import java.time.OffsetDateTime;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A member's tier and how they stand against the next one. {@code nextTier} and
 * {@code remainingToNextTier} are null at the top tier.
 */
@Schema(description = "A member's tier and how they stand against the next one. nextTier and remainingToNextTier are "
        + "null at the top tier; reviewAt and since are null until the member's tier first changes. Spend in minor "
        + "units, over the rolling qualifying window.", example = """
        {"tier": "BASIC", "qualifyingSpend": 12500, "nextTier": "SILVER", "remainingToNextTier": 87500,
         "reviewAt": null, "since": null}""")
public record TierStanding(Tier tier, long qualifyingSpend, @Schema(nullable = true) Tier nextTier,
        @Schema(nullable = true) Long remainingToNextTier, @Schema(nullable = true) OffsetDateTime reviewAt,
        @Schema(nullable = true) OffsetDateTime since) {
}
