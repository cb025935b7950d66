package io.pointsledger.rewards;

/** What a reward is: a thing, a service at the till, an event with seats, or a gift card. */
public enum RewardKind {
    PRODUCT,
    SERVICE,
    /** An event with a date, a venue and a capacity: a claim is an RSVP holding one seat. */
    EXPERIENCE,
    GIFT_CARD
}
