package io.pointsledger.holds;

/** Where a hold stands. Only PENDING moves, and only once. */
public enum HoldStatus {
    PENDING,
    CAPTURED,
    VOIDED,
    EXPIRED
}
