package io.pointsledger.communication;

/** What a message to a member is: an operator's announcement, or a notification of something that happened to them. */
public enum MessageKind {
    ANNOUNCEMENT,
    TIER_CHANGED,
    POINTS_EXPIRING,
    COUPON_ISSUED
}
