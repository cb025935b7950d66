package io.pointsledger.ledger;

import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * An earn (a purchase) or a reversal (a return or refund) as the ledger recorded it. Consumers of
 * the ledger events rely on these rows, not on what an event says: an event only names the
 * transfer, and whoever can write to the topic could say anything.
 *
 * @param amount the purchase amount in minor units of the program's currency; 0 for a reversal
 * @param qualifyingAmount the part of {@code amount} that counts toward tier qualifying spend
 *        (the rule is in {@code LedgerRules.qualifyingAmount}); 0 for a reversal
 * @param relatedTransferId the transfer a reversal takes back; null for an earn
 */
public record Purchase(UUID transferId, TransferKind kind, UUID memberId, long points, long amount,
        long qualifyingAmount, OffsetDateTime occurredAt, UUID relatedTransferId) {

    public boolean isEarn() {
        return kind == TransferKind.EARN;
    }

    Purchase withQualifyingAmount(long qualifying) {
        return new Purchase(transferId, kind, memberId, points, amount, qualifying, occurredAt, relatedTransferId);
    }
}
