package io.pointsledger.ledger;

import io.pointsledger.platform.ErrorCode;

/** What the write path did with a write; only {@link #APPLIED} wrote anything. */
enum PostingOutcome {
    APPLIED(null),
    REPLAYED(null),
    IDEMPOTENCY_KEY_REUSED(ErrorCode.IDEMPOTENCY_KEY_REUSED),
    MEMBER_NOT_FOUND(ErrorCode.MEMBER_NOT_FOUND),
    HOLD_NOT_FOUND(ErrorCode.HOLD_NOT_FOUND),
    TRANSFER_NOT_FOUND(ErrorCode.TRANSFER_NOT_FOUND),
    INSUFFICIENT_POINTS(ErrorCode.INSUFFICIENT_POINTS),
    NO_POINTS_EARNED(ErrorCode.NO_POINTS_EARNED),
    HOLD_NOT_PENDING(ErrorCode.HOLD_NOT_PENDING),
    CAPTURE_EXCEEDS_HOLD(ErrorCode.CAPTURE_EXCEEDS_HOLD),
    TRANSFER_NOT_REVERSIBLE(ErrorCode.TRANSFER_NOT_REVERSIBLE),
    REVERSAL_EXCEEDS_ORIGINAL(ErrorCode.REVERSAL_EXCEEDS_ORIGINAL),
    /** The member's opening balance was brought over already: a second would count it twice. */
    ALREADY_MIGRATED(ErrorCode.MEMBER_ALREADY_MIGRATED),
    REWARD_NOT_FOUND(ErrorCode.REWARD_NOT_FOUND),
    REWARD_NOT_AVAILABLE(ErrorCode.REWARD_NOT_AVAILABLE),
    OUT_OF_STOCK(ErrorCode.OUT_OF_STOCK),
    CLAIM_LIMIT_REACHED(ErrorCode.CLAIM_LIMIT_REACHED),
    PRICE_CHANGED(ErrorCode.PRICE_CHANGED),
    CLAIM_NOT_FOUND(ErrorCode.CLAIM_NOT_FOUND),
    CLAIM_NOT_PENDING(ErrorCode.CLAIM_NOT_PENDING),
    CANCELLATION_CLOSED(ErrorCode.CANCELLATION_CLOSED),
    CAUSE_NOT_FOUND(ErrorCode.CAUSE_NOT_FOUND),
    /** A job's write found nothing to do: a hold resolved meanwhile, or no points left to expire. */
    NOTHING_DUE(null),
    /** A fault (not a refusal) in one item of a batch; its neighbours are unaffected. */
    FAILED(ErrorCode.INTERNAL_ERROR);

    /** The refusal's error code; null for the two outcomes that answer with a receipt. */
    final ErrorCode refusal;

    PostingOutcome(ErrorCode refusal) {
        this.refusal = refusal;
    }
}
