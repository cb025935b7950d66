package io.pointsledger.webhooks;

/**
 * The events a webhook may subscribe to (docs/events.md). A partner's own events (a transfer,
 * bonus or coupon redemption it made) go to that partner's webhooks only; a member's events go to
 * partners allowed to read members, who could read the same through the API.
 */
public enum WebhookEventType {
    TRANSFER_RECORDED(true),
    CAMPAIGN_BONUS(true),
    COUPON_REDEEMED(true),
    REWARD_CLAIMED(true),
    REWARD_FULFILLED(true),
    REWARD_CANCELLED(true),
    POINTS_DONATED(true),
    MEMBER_ENROLLED(false),
    TIER_CHANGED(false),
    POINTS_EXPIRING(false),
    COUPON_ISSUED(false);

    private final boolean partnersOwn;

    WebhookEventType(boolean partnersOwn) {
        this.partnersOwn = partnersOwn;
    }

    /** True when the event names the partner that made it, and goes to that partner alone. */
    public boolean partnersOwn() {
        return partnersOwn;
    }
}
