package io.pointsledger.ledger;

import java.time.OffsetDateTime;
import java.util.UUID;

/** One transfer as the history shows it; {@code postedDelta}/{@code heldDelta} are signed effects. */
public record TransferView(UUID transactionId, TransferKind kind, long points, long postedDelta, long heldDelta,
        String channel, String orderId, UUID relatedTransactionId, Money amount,
        OffsetDateTime occurredAt, OffsetDateTime recordedAt) {
}
