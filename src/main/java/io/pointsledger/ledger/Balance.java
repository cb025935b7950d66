package io.pointsledger.ledger;

import io.pointsledger.tiers.Tier;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A member's points. {@code available = posted - held}; {@code version} grows by one with every
 * write, so a reader can order two balances of the same member. {@code expiring}: points whose
 * last valid day falls within the program's expiring window (90 days by default).
 */
@Schema(description = "A member's points: available = posted - held. version grows by one with every write. expiring: "
        + "points whose last valid day falls within the program's expiring window.", example = """
        {"memberId": "3f6c1a2e-8d4b-4f7a-9c1e-2b5d6a7e8f90", "posted": 1550, "held": 300, "available": 1250,
         "tier": "BASIC", "version": 7, "expiring": [{"date": "2027-01-31", "points": 200}]}""")
public record Balance(UUID memberId, long posted, long held, long available, Tier tier, long version,
        List<ExpiringPoints> expiring) {

    public static Balance of(UUID memberId, Tier tier, long posted, long held, long version, List<ExpiringPoints> expiring) {
        return new Balance(memberId, posted, held, posted - held, tier, version, List.copyOf(expiring));
    }
}
