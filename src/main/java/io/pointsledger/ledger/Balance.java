package io.pointsledger.ledger;

import io.pointsledger.tiers.Tier;
import java.util.List;
import java.util.UUID;

/**
 * A member's points. {@code available = posted - held}; {@code version} grows by one with every
 * write, so a reader can order two balances of the same member. {@code expiring}: points whose
 * last valid day falls within the program's expiring window (90 days by default).
 */
public record Balance(UUID memberId, long posted, long held, long available, Tier tier, long version,
        List<ExpiringPoints> expiring) {

    public static Balance of(UUID memberId, Tier tier, long posted, long held, long version, List<ExpiringPoints> expiring) {
        return new Balance(memberId, posted, held, posted - held, tier, version, List.copyOf(expiring));
    }
}
