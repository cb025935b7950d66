package io.pointsledger.ledger;

/** What a transfer means. Each word has one meaning and is used for nothing else. */
public enum TransferKind {
    EARN,
    REDEEM,
    HOLD,
    CAPTURE,
    VOID,
    HOLD_EXPIRED,
    REVERSAL,
    ADJUSTMENT,
    EXPIRY
}
