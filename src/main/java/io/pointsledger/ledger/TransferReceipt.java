package io.pointsledger.ledger;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The answer to a ledger write: the transfer made and the account right after it.
 * {@code postedDelta} is the signed effect on posted points (it can be smaller than {@code points}
 * for a reversal clamped at zero); {@code relatedTransactionId} is the transfer a reversal reverses.
 * Read from the receipt the database functions return (or the stored one a retry replays), which a
 * newer version of those functions may extend during a rolling deploy: unknown fields are skipped.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@RegisterForReflection(serialization = true)
@Schema(description = "The answer to a ledger write: the transfer made and the account right after it. postedDelta is "
        + "the signed effect on posted points; relatedTransactionId is the transfer a reversal reverses, else null.",
        example = """
        {"transactionId": "0b7e3c52-61f1-4a8e-9d0c-5e2f7a1b3c4d", "memberId": "3f6c1a2e-8d4b-4f7a-9c1e-2b5d6a7e8f90",
         "kind": "EARN", "points": 125, "postedDelta": 125, "relatedTransactionId": null,
         "bonuses": [{"campaignId": "0193a1b2-7c4d-7e5f-8a9b-0c1d2e3f4a5b", "campaignVersion": 3, "points": 25}],
         "available": 1375,
         "posted": 1675, "held": 300}""")
public record TransferReceipt(UUID transactionId, UUID memberId, TransferKind kind, long points, long postedDelta,
        @Schema(nullable = true) UUID relatedTransactionId,
        @Schema(description = "What campaigns added to an earn's points, which include them; empty otherwise")
        List<PurchaseBonus> bonuses,
        long available, long posted, long held) {

    /** Receipts stored before campaigns have no bonuses. */
    public TransferReceipt {
        bonuses = bonuses == null ? List.of() : List.copyOf(bonuses);
    }
}
