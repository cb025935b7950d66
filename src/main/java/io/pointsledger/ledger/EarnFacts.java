package io.pointsledger.ledger;

import io.pointsledger.tiers.Tier;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * What campaigns may look at in an earn: on what occasion (a purchase, or a signup or tier reached,
 * whose earns carry nothing but the campaigns' bonuses), who, through whom and
 * which channel, what and for how much, when, the member's tier as the earn is decided, whether
 * this is the member's first purchase, and the points the program's own rule gave
 * ({@code points}), which a multiplier multiplies, and the segments named by campaigns in force
 * that admit the member ({@code segments}). For a tier reached, {@code tier} is the tier reached.
 * Before the accounts are read (when the write path picks the budgets to lock) {@code tier},
 * {@code firstPurchase} and {@code segments} are null: not known yet.
 */
public record EarnFacts(BonusOccasion occasion, UUID memberId, String partnerId, String channel, long amount,
        List<LineItem> items, OffsetDateTime occurredAt, Tier tier, Boolean firstPurchase, long points, Set<UUID> segments) {
}
