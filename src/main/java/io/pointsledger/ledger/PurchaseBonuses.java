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

    PurchaseBonuses NONE = (earn, allowance) -> List.of();

    /** The bonuses, in the order they were decided, each as {@code allowance} granted it; never null. */
    List<PurchaseBonus> bonusesFor(EarnFacts earn, BonusAllowance allowance);

    /** The budget and per-member cap of a campaign in force. */
    default BonusLimit limitOf(UUID campaignId) {
        return BonusLimit.NONE;
    }

    /**
     * The campaigns with a limit (budget, member cap, once per occasion) that {@code earn} may meet
     * whatever the member's tier and history (its {@code tier} and {@code firstPurchase} are null
     * and its {@code points} zero: they are asked before the accounts are read), so that the batch
     * locks and reads what its decisions may spend from.
     */
    default Set<UUID> limitedCampaignsFor(EarnFacts earn) {
        return Set.of();
    }

    /** Whether a campaign in force rewards a member's first purchase: the batch then reads who bought before. */
    default boolean asksFirstPurchase() {
        return false;
    }

    /** The segments campaigns in force name: the batch then reads which of them admit its members. */
    default Set<UUID> segmentsAsked() {
        return Set.of();
    }
}
