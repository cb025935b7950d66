package io.pointsledger.ledger;

/** Where the write path takes the bonus rules in force as it decides a batch (the campaigns). */
public interface BonusRules {

    PurchaseBonuses inForce();
}
