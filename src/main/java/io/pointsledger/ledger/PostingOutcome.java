package io.pointsledger.ledger;

/** What {@code ledger_post} did; only {@link #APPLIED} wrote anything. */
enum PostingOutcome {
    APPLIED,
    REPLAYED,
    IDEMPOTENCY_KEY_REUSED,
    MEMBER_NOT_FOUND,
    INSUFFICIENT_POINTS,
    NO_POINTS_EARNED
}
