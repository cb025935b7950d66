package io.pointsledger.ledger;

import java.util.UUID;

/** The answer to a ledger write: the transfer made and the account right after it. */
public record TransferReceipt(UUID transactionId, UUID memberId, TransferKind kind, long points,
        long available, long posted, long held) {
}
