package io.pointsledger.rewards;

import java.time.OffsetDateTime;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A claim of a reward, with its reward's name and, for an EXPERIENCE, the event. */
@Schema(example = """
        {"claimId": "0193a1b2-7c4d-7e5f-8a9b-0c1d2e3f4a5b", "memberId": "3f6c1a2e-8d4b-4f7a-9c1e-2b5d6a7e8f90",
         "rewardId": "0193a1b0-1111-7e5f-8a9b-0c1d2e3f4a5b", "rewardName": "Canvas tote bag", "rewardKind": "PRODUCT",
         "partnerId": "operator", "status": "FULFILLED", "points": 1200, "claimedAt": "2026-11-30T09:00:00Z",
         "fulfilledAt": "2026-11-30T15:20:00Z", "fulfilmentReference": "shipment 88213", "cancelledAt": null,
         "cancellationTransactionId": null, "event": null}""")
public record RewardClaim(UUID claimId, UUID memberId, UUID rewardId, String rewardName, RewardKind rewardKind,
        @Schema(description = "The partner that made the claim") String partnerId, ClaimStatus status, long points,
        OffsetDateTime claimedAt, @Schema(nullable = true) OffsetDateTime fulfilledAt,
        @Schema(nullable = true) String fulfilmentReference, @Schema(nullable = true) OffsetDateTime cancelledAt,
        @Schema(nullable = true) UUID cancellationTransactionId, @Schema(nullable = true) RewardEvent event) {
}
