package io.pointsledger.ledger;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The answer to a reward claim or its cancellation: the claim as it stands, the transfer this call
 * wrote (the claim's, or its cancellation's), and the account right after it.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@RegisterForReflection(serialization = true)
@Schema(description = "The answer to a reward claim or its cancellation: the claim's status, the transfer this call "
        + "wrote (the claim's REWARD_CLAIM, or its REWARD_CANCELLATION) and the account right after it.", example = """
        {"claimId": "0193a1b2-7c4d-7e5f-8a9b-0c1d2e3f4a5b", "memberId": "3f6c1a2e-8d4b-4f7a-9c1e-2b5d6a7e8f90",
         "rewardId": "0193a1b0-1111-7e5f-8a9b-0c1d2e3f4a5b", "status": "CLAIMED", "points": 1200,
         "transactionId": "0193a1b2-7c4d-7e5f-8a9b-0c1d2e3f4a5b", "available": 300, "posted": 300, "held": 0}""")
public record ClaimReceipt(UUID claimId, UUID memberId, UUID rewardId,
        @Schema(enumeration = {"CLAIMED", "CANCELLED"}) String status,
        @Schema(description = "The claim's price, taken (CLAIMED) or given back (CANCELLED)") long points,
        UUID transactionId, long available, long posted, long held) {
}
