package io.pointsledger.ledger;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * What a write asks for, typed, as the write path decides it: each kind sets the fields it uses
 * and leaves the others null. Built by the factory of its kind, never field by field.
 *
 * @param points        earn (explicit award), redeem, hold, capture (null: the whole hold),
 *                      reversal (null: what is left of the original), adjustment (signed)
 * @param lotExpiresAt  when points credited by this write expire, if it creates a lot
 * @param holdExpiresAt when a hold lapses
 */
public record PostingFields(Long points, Long amount, String currency, String channel, String orderId,
        OffsetDateTime occurredAt, List<LineItem> items, OffsetDateTime lotExpiresAt, OffsetDateTime holdExpiresAt,
        String reason, boolean allowNegative) {

    static PostingFields earn(Long points, long amount, String currency, String channel, String orderId,
            OffsetDateTime occurredAt, List<LineItem> items, OffsetDateTime lotExpiresAt) {
        return new PostingFields(points, amount, currency, channel, orderId, occurredAt, List.copyOf(items), lotExpiresAt,
                null, null, false);
    }

    static PostingFields redeem(long points, String channel, String orderId) {
        return new PostingFields(points, null, null, channel, orderId, null, List.of(), null, null, null, false);
    }

    public static PostingFields hold(long points, String channel, String orderId, OffsetDateTime holdExpiresAt) {
        return new PostingFields(points, null, null, channel, orderId, null, List.of(), null, holdExpiresAt, null, false);
    }

    public static PostingFields capture(Long points) {
        return new PostingFields(points, null, null, null, null, null, List.of(), null, null, null, false);
    }

    public static PostingFields voiding() {
        return none();
    }

    /** A write that asks for nothing but its kind: a void, or a job's expiry of a hold or of points. */
    static PostingFields none() {
        return new PostingFields(null, null, null, null, null, null, List.of(), null, null, null, false);
    }

    static PostingFields reversal(Long points, String reason, OffsetDateTime lotExpiresAt) {
        return new PostingFields(points, null, null, null, null, null, List.of(), lotExpiresAt, null, reason, false);
    }

    static PostingFields adjustment(long points, String reason, boolean allowNegative, OffsetDateTime lotExpiresAt) {
        return new PostingFields(points, null, null, null, null, null, List.of(), lotExpiresAt, null, reason, allowNegative);
    }
}
