package io.pointsledger.ledger;

/** Where the write path takes the bonus rules in force as it decides a batch (the campaigns). */
public interface BonusRules {

    /** Whether the rules in force are known: an earn is never decided without them. */
    boolean ready();

    PurchaseBonuses inForce();
}
