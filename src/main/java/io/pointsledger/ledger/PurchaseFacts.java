package io.pointsledger.ledger;

import io.pointsledger.tiers.Tier;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * What campaigns may look at in an earn: who bought, through whom and which channel, what and for
 * how much, when, the member's tier as the earn is decided, and the points the program's own rule
 * gave ({@code points}), which a multiplier multiplies.
 */
public record PurchaseFacts(UUID memberId, String partnerId, String channel, long amount, List<LineItem> items,
        OffsetDateTime occurredAt, Tier tier, long points) {
}
