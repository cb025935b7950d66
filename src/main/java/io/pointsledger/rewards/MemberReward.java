package io.pointsledger.rewards;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A reward as one member sees it: their price, whether a unit is left, and how many they hold of
 * what they may hold. {@code claimable}: in stock, under their limit, and affordable now.
 */
@Schema(example = """
        {"rewardId": "0193a1b0-1111-7e5f-8a9b-0c1d2e3f4a5b", "kind": "PRODUCT", "name": "Canvas tote bag",
         "description": null, "imageUrls": [], "points": 1200, "stock": 57, "inStock": true, "claimsHeld": 0,
         "perMemberLimit": 2, "availableUntil": null, "event": null, "claimable": true}""")
public record MemberReward(UUID rewardId, RewardKind kind, String name, @Schema(nullable = true) String description,
        List<String> imageUrls,
        @Schema(description = "What this member pays, at their tier") long points,
        @Schema(nullable = true, description = "Units left; null: no limit") Long stock, boolean inStock,
        @Schema(description = "The member's claims of it not cancelled") long claimsHeld,
        @Schema(nullable = true) Integer perMemberLimit, @Schema(nullable = true) OffsetDateTime availableUntil,
        @Schema(nullable = true) RewardEvent event,
        @Schema(description = "In stock, under the member's limit, and within their available points") boolean claimable) {
}
