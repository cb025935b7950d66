package io.pointsledger.ledger;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The answer to a donation: its DONATION transfer, what the program added, and the account right after it. */
@JsonIgnoreProperties(ignoreUnknown = true)
@RegisterForReflection(serialization = true)
@Schema(description = "The answer to a donation: its DONATION transfer, the points the program added to the cause "
        + "(matchedPoints, 0 once the matching budget is spent) and the member's account right after it.", example = """
        {"transactionId": "0193a1b2-7c4d-7e5f-8a9b-0c1d2e3f4a5b", "memberId": "3f6c1a2e-8d4b-4f7a-9c1e-2b5d6a7e8f90",
         "causeId": "0193a1b0-2222-7e5f-8a9b-0c1d2e3f4a5b", "points": 500, "matchedPoints": 50,
         "available": 1000, "posted": 1000, "held": 0}""")
public record DonationReceipt(UUID transactionId, UUID memberId, UUID causeId, long points, long matchedPoints,
        long available, long posted, long held) {
}
