package io.pointsledger.tiers;

import java.time.OffsetDateTime;

/**
 * A member's tier and how they stand against the next one. {@code nextTier} and
 * {@code remainingToNextTier} are null at the top tier.
 */
public record TierStanding(Tier tier, long qualifyingSpend, Tier nextTier, Long remainingToNextTier,
        OffsetDateTime reviewAt, OffsetDateTime since) {
}
