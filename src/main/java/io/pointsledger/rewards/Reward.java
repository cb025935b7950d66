package io.pointsledger.rewards;

import io.pointsledger.tiers.Tier;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A reward as stored, with its stock left and the claims it has (not cancelled). */
@Schema(example = """
        {"rewardId": "0193a1b0-1111-7e5f-8a9b-0c1d2e3f4a5b", "status": "ACTIVE", "kind": "EXPERIENCE",
         "name": "Winter collection preview evening", "description": "Drinks and a first look",
         "imageUrls": ["https://cdn.shop.example/rewards/preview.jpg"], "points": 3000, "pointsByTier": {"GOLD": 2000},
         "eligibility": {"tiers": ["SILVER", "GOLD"]}, "stock": 12, "claimed": 28, "perMemberLimit": 1,
         "availableFrom": "2026-12-01T00:00:00+09:00", "availableUntil": null,
         "event": {"startsAt": "2026-12-18T19:00:00+09:00", "venue": "Seoul flagship store, 3rd floor",
                   "cancellableUntil": "2026-12-17T18:00:00+09:00"},
         "fulfilmentPartnerId": null, "version": 2, "createdAt": "2026-11-29T08:00:00Z", "updatedAt": "2026-11-30T10:12:00Z"}""")
public record Reward(UUID rewardId, RewardStatus status, RewardKind kind, String name,
        @Schema(nullable = true) String description, List<String> imageUrls, long points, Map<Tier, Long> pointsByTier,
        @Schema(nullable = true) RewardEligibility eligibility,
        @Schema(nullable = true, description = "Units left; null: no limit") Long stock,
        @Schema(description = "Claims not cancelled, fulfilled or not") long claimed,
        @Schema(nullable = true) Integer perMemberLimit,
        @Schema(nullable = true) OffsetDateTime availableFrom, @Schema(nullable = true) OffsetDateTime availableUntil,
        @Schema(nullable = true) RewardEvent event, @Schema(nullable = true) String fulfilmentPartnerId,
        @Schema(description = "Moves with each change the operator makes, not with claims: what a stock change names in If-Match")
        long version,
        OffsetDateTime createdAt, OffsetDateTime updatedAt) {
}
