package io.pointsledger.ledger;

import java.time.OffsetDateTime;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One transfer as the history shows it; {@code postedDelta}/{@code heldDelta} are signed effects. */
@Schema(description = "One transfer as the history shows it; postedDelta and heldDelta are signed effects. orderId is "
        + "null for transfers without an order (adjustments, expiries), relatedTransactionId for those that relate to "
        + "no other (all but captures, voids, hold expiries and reversals), amount for all but earns.", example = """
        {"transactionId": "0b7e3c52-61f1-4a8e-9d0c-5e2f7a1b3c4d", "kind": "EARN", "points": 125, "postedDelta": 125,
         "heldDelta": 0, "channel": "POS", "orderId": "pos-7-20261129-0042", "relatedTransactionId": null,
         "amount": {"value": 12500, "currency": "USD"}, "occurredAt": "2026-11-29T09:20:00Z",
         "recordedAt": "2026-11-29T09:20:00.125Z"}""")
public record TransferView(UUID transactionId, TransferKind kind, long points, long postedDelta, long heldDelta,
        String channel, @Schema(nullable = true) String orderId, @Schema(nullable = true) UUID relatedTransactionId,
        @Schema(nullable = true) Money amount, OffsetDateTime occurredAt, OffsetDateTime recordedAt) {
}
