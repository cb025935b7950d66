package io.pointsledger.ledger;

import io.pointsledger.tiers.Tier;
import java.util.UUID;

/**
 * A member's points. {@code available = posted - held}; {@code version} grows by one with every
 * write, so a reader can order two balances of the same member.
 */
public record Balance(UUID memberId, long posted, long held, long available, Tier tier, long version) {

    public static Balance of(UUID memberId, Tier tier, long posted, long held, long version) {
        return new Balance(memberId, posted, held, posted - held, tier, version);
    }
}
