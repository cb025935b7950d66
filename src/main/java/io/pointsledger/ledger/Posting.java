package io.pointsledger.ledger;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * One ledger write as the write path takes it: who asks, under which idempotency key, and what.
 * {@code fingerprint} identifies the request so that a retry can be told from a different request
 * reusing the key.
 */
record Posting(
        String partnerId,
        String idempotencyKey,
        byte[] fingerprint,
        TransferKind kind,
        UUID memberId,
        Long points,
        Money amount,
        SalesChannel channel,
        String orderId,
        OffsetDateTime occurredAt,
        List<LineItem> items) {
}
