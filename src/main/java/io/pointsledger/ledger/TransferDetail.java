package io.pointsledger.ledger;

import java.util.List;
import java.util.UUID;

/**
 * One transaction with who made it and what was reversed of it: {@code reversals} are the
 * REVERSAL transfers made of it, {@code reversedPoints} their sum.
 */
public record TransferDetail(TransferView transfer, UUID memberId, String partnerId, String reason,
        List<UUID> reversals, long reversedPoints) {
}
