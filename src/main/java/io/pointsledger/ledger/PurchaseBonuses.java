package io.pointsledger.ledger;

import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * The bonus rules in force for one batch of writes: what a purchase earns beyond the program's own
 * rule. Taken once per batch, so that every earn of a batch is decided by the same campaigns.
 */
@FunctionalInterface
public interface PurchaseBonuses {

    PurchaseBonuses NONE = (purchase, allowance) -> List.of();

    /** The bonuses, in the order they were decided, each as {@code allowance} granted it; never null. */
    List<PurchaseBonus> bonusesFor(PurchaseFacts purchase, BonusAllowance allowance);

    /** The budget and per-member cap of a campaign in force. */
    default BonusLimit limitOf(UUID campaignId) {
        return BonusLimit.NONE;
    }

    /**
     * The campaigns with a limit that {@code purchase} may meet whatever the member's tier (its
     * {@code tier} is null and its {@code points} zero: they are asked before the accounts are
     * read), so that the batch locks and reads the budgets its decisions may spend from.
     */
    default Set<UUID> limitedCampaignsFor(PurchaseFacts purchase) {
        return Set.of();
    }
}
