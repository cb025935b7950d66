package io.pointsledger.communication;

/** What a message to a member is: an operator's announcement, or a notification of something that happened to them. */
public enum MessageKind {
    ANNOUNCEMENT,
    TIER_CHANGED,
    POINTS_EXPIRING,
    COUPON_ISSUED,
    /** A seat at an event the member claimed with points, before the event starts. */
    REWARD_REMINDER,
    /** A slot the member booked: the day before, and on the day. */
    RESERVATION_REMINDER,
    /** A survey about a purchase or a visit of the member's, asking for their answer. */
    SURVEY_INVITATION
}
