package io.pointsledger.ledger;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.UUID;

/**
 * The answer to a ledger write: the transfer made and the account right after it.
 * {@code postedDelta} is the signed effect on posted points (it can be smaller than {@code points}
 * for a reversal clamped at zero); {@code relatedTransactionId} is the transfer a reversal reverses.
 * Read from the receipt the database functions return (or the stored one a retry replays), which a
 * newer version of those functions may extend during a rolling deploy: unknown fields are skipped.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@RegisterForReflection(serialization = true)
public record TransferReceipt(UUID transactionId, UUID memberId, TransferKind kind, long points, long postedDelta,
        UUID relatedTransactionId, long available, long posted, long held) {
}
