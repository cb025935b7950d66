package io.pointsledger.ledger;

/** Where a purchase or redemption happened. */
public enum SalesChannel {
    POS,
    ONLINE,
    PARTNER
}
