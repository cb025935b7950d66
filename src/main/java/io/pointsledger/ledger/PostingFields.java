package io.pointsledger.ledger;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * What a write asks for, typed, as the write path decides it: each kind sets the fields it uses
 * and leaves the others null. Built by the factory of its kind, never field by field.
 *
 * @param points        earn (explicit award), redeem, hold, capture (null: the whole hold),
 *                      reversal (null: what is left of the original), adjustment (signed)
 * @param lotExpiresAt  when points credited by this write expire, if it creates a lot
 * @param holdExpiresAt when a hold lapses
 * @param occasion      an earn's: a purchase, or an occasion whose earn is the campaigns' bonuses alone
 * @param rewardId      a reward claim's reward
 * @param priceCeiling  a reward claim's: the most it may cost (the highest of the reward's prices when
 *                      the claim was sent), which bounds the lots the write path reads for it
 * @param causeId       a donation's cause
 */
public record PostingFields(Long points, Long amount, String currency, String channel, String orderId,
        OffsetDateTime occurredAt, List<LineItem> items, OffsetDateTime lotExpiresAt, OffsetDateTime holdExpiresAt,
        String reason, boolean allowNegative, BonusOccasion occasion, UUID rewardId, Long priceCeiling, UUID causeId) {

    private PostingFields(Long points, Long amount, String currency, String channel, String orderId,
            OffsetDateTime occurredAt, List<LineItem> items, OffsetDateTime lotExpiresAt, OffsetDateTime holdExpiresAt,
            String reason, boolean allowNegative, BonusOccasion occasion) {
        this(points, amount, currency, channel, orderId, occurredAt, items, lotExpiresAt, holdExpiresAt, reason, allowNegative,
                occasion, null, null, null);
    }

    static PostingFields earn(Long points, long amount, String currency, String channel, String orderId,
            OffsetDateTime occurredAt, List<LineItem> items, OffsetDateTime lotExpiresAt) {
        return new PostingFields(points, amount, currency, channel, orderId, occurredAt, List.copyOf(items), lotExpiresAt,
                null, null, false, BonusOccasion.PURCHASE);
    }

    /**
     * An earn of what the campaigns that reward {@code occasion} grant the member, and nothing else;
     * or, for a coupon, of the coupon's {@code points}.
     */
    static PostingFields occasion(BonusOccasion occasion, Long points, String orderId, OffsetDateTime occurredAt,
            OffsetDateTime lotExpiresAt) {
        return new PostingFields(points, null, null, null, orderId, occurredAt, List.of(), lotExpiresAt, null, null, false,
                occasion);
    }

    static PostingFields redeem(long points, String channel, String orderId) {
        return new PostingFields(points, null, null, channel, orderId, null, List.of(), null, null, null, false, null);
    }

    public static PostingFields hold(long points, String channel, String orderId, OffsetDateTime holdExpiresAt) {
        return new PostingFields(points, null, null, channel, orderId, null, List.of(), null, holdExpiresAt, null, false, null);
    }

    public static PostingFields capture(Long points) {
        return new PostingFields(points, null, null, null, null, null, List.of(), null, null, null, false, null);
    }

    public static PostingFields voiding() {
        return none();
    }

    /** A write that asks for nothing but its kind: a void, or a job's expiry of a hold or of points. */
    static PostingFields none() {
        return new PostingFields(null, null, null, null, null, null, List.of(), null, null, null, false, null);
    }

    static PostingFields reversal(Long points, String reason, OffsetDateTime lotExpiresAt) {
        return new PostingFields(points, null, null, null, null, null, List.of(), lotExpiresAt, null, reason, false, null);
    }

    /** An opening balance: {@code reference} is the old system's (its account or statement), kept as the order id. */
    static PostingFields migration(long points, String reference, String reason, OffsetDateTime lotExpiresAt) {
        return new PostingFields(points, null, null, null, reference, null, List.of(), lotExpiresAt, null, reason, false, null);
    }

    static PostingFields adjustment(long points, String reason, boolean allowNegative, OffsetDateTime lotExpiresAt) {
        return new PostingFields(points, null, null, null, null, null, List.of(), lotExpiresAt, null, reason, allowNegative, null);
    }

    /**
     * A claim of one unit of {@code rewardId}: {@code expectedPoints} (null: whatever its price) is
     * the price the member was shown, refused if the price is another by the time it is decided.
     */
    public static PostingFields rewardClaim(UUID rewardId, Long expectedPoints, long priceCeiling, String channel) {
        return new PostingFields(expectedPoints, null, null, channel, null, null, List.of(), null, null, null, false, null,
                rewardId, priceCeiling, null);
    }

    /** A claim cancelled: its points go back to the lots they came from, the rest to a lot expiring at {@code lotExpiresAt}. */
    public static PostingFields rewardCancellation(String reason, OffsetDateTime lotExpiresAt) {
        return new PostingFields(null, null, null, null, null, null, List.of(), lotExpiresAt, null, reason, false, null);
    }

    /** Points given to {@code causeId}. */
    public static PostingFields donation(UUID causeId, long points, String channel) {
        return new PostingFields(points, null, null, channel, null, null, List.of(), null, null, null, false, null, null, null,
                causeId);
    }
}
