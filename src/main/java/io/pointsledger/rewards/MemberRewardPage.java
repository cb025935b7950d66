package io.pointsledger.rewards;

import io.pointsledger.tiers.Tier;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** What a member may claim now, newest first, for their tier and available points; {@code nextCursor} continues it. */
@Schema(example = """
        {"memberId": "3f6c1a2e-8d4b-4f7a-9c1e-2b5d6a7e8f90", "tier": "SILVER", "available": 1500,
         "items": [], "nextCursor": null}""")
public record MemberRewardPage(UUID memberId, Tier tier, long available, List<MemberReward> items,
        @Schema(nullable = true) String nextCursor) {
}
