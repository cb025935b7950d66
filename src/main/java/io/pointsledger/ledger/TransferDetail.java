package io.pointsledger.ledger;

import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * One transaction with who made it and what was reversed of it: {@code reversals} are the
 * REVERSAL transfers made of it, {@code reversedPoints} their sum.
 */
@Schema(description = "One transaction with who made it and what was reversed of it: reversals are the REVERSAL "
        + "transfers made of it, reversedPoints their sum. reason is null for kinds that take none.", example = """
        {"transfer": {"transactionId": "0b7e3c52-61f1-4a8e-9d0c-5e2f7a1b3c4d", "kind": "EARN", "points": 125, "postedDelta": 125,
                      "heldDelta": 0, "channel": "POS", "orderId": "pos-7-20261129-0042", "relatedTransactionId": null,
                      "amount": {"value": 12500, "currency": "USD"}, "occurredAt": "2026-11-29T09:20:00Z",
                      "recordedAt": "2026-11-29T09:20:00.125Z"},
         "memberId": "3f6c1a2e-8d4b-4f7a-9c1e-2b5d6a7e8f90", "partnerId": "operator", "reason": null,
         "reversals": [], "reversedPoints": 0}""")
public record TransferDetail(TransferView transfer, UUID memberId, String partnerId,
        @Schema(nullable = true) String reason, List<UUID> reversals, long reversedPoints) {
}
