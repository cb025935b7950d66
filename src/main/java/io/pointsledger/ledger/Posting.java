package io.pointsledger.ledger;

import io.vertx.core.json.JsonObject;
import java.util.UUID;

/**
 * One ledger write as the write path takes it: who asks, under which idempotency key, what kind,
 * on which member (earn, redeem, hold, adjustment) or which hold or transfer (capture, void,
 * reversal), with the request's fields. {@code fingerprint} identifies the request so that a
 * retry can be told from a different request reusing the key.
 */
record Posting(
        String partnerId,
        boolean seesAllPartners,
        String idempotencyKey,
        byte[] fingerprint,
        TransferKind kind,
        UUID memberId,
        UUID targetId,
        JsonObject request) {
}
