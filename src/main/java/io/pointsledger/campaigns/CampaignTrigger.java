package io.pointsledger.campaigns;

import io.pointsledger.ledger.BonusOccasion;

/**
 * What a campaign reacts to. {@code PURCHASE}: every earn on a purchase, as it is written;
 * {@code FIRST_PURCHASE}: a member's first earn on a purchase, once; {@code SIGNUP}: an
 * enrollment, once per member, with an earn of its own; {@code TIER_REACHED}: a member's move up
 * to a tier (its {@code conditions.tiers}, or any), once per member and tier, with an earn of its own;
 * {@code BIRTHDAY_MONTH}: the month of a member's birthday, once a year, found by a daily job;
 * {@code RESERVATION_ATTENDED}: a reservation the member came to, once per reservation.
 */
public enum CampaignTrigger {
    PURCHASE(BonusOccasion.Kind.PURCHASE),
    FIRST_PURCHASE(BonusOccasion.Kind.PURCHASE),
    SIGNUP(BonusOccasion.Kind.SIGNUP),
    TIER_REACHED(BonusOccasion.Kind.TIER_REACHED),
    BIRTHDAY_MONTH(BonusOccasion.Kind.BIRTHDAY_MONTH),
    RESERVATION_ATTENDED(BonusOccasion.Kind.RESERVATION_ATTENDED);

    private final BonusOccasion.Kind occasion;

    CampaignTrigger(BonusOccasion.Kind occasion) {
        this.occasion = occasion;
    }

    /** The occasions it rewards. */
    BonusOccasion.Kind occasion() {
        return occasion;
    }

    /** Every trigger but PURCHASE rewards its occasion once per member (and occasion key). */
    boolean grantsOnce() {
        return this != PURCHASE;
    }

    /** Only a purchase has items, an amount, a channel and a partner to look at, and points to multiply. */
    boolean isPurchase() {
        return occasion == BonusOccasion.Kind.PURCHASE;
    }
}
