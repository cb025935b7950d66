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
    EXPIRY,
    /**
     * A member's opening balance brought from the loyalty system the program replaces: a credit,
     * at most one per member, with the expiry the old system gave it.
     */
    MIGRATION,
    /** One unit of a reward (or a seat at an event) bought with points: a debit, like a redeem. */
    REWARD_CLAIM,
    /** A claim cancelled: its points given back to the lots they were spent from. */
    REWARD_CANCELLATION,
    /** Points given to a cause: a debit of the member, credited to the cause's account. Final. */
    DONATION
}
