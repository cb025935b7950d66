package io.pointsledger.ledger;

import java.util.List;

/**
 * The bonus rules in force for one batch of writes: what a purchase earns beyond the program's own
 * rule. Taken once per batch, so that every earn of a batch is decided by the same campaigns.
 */
@FunctionalInterface
public interface PurchaseBonuses {

    PurchaseBonuses NONE = purchase -> List.of();

    /** The bonuses, in the order they were decided; never null. */
    List<PurchaseBonus> bonusesFor(PurchaseFacts purchase);
}
