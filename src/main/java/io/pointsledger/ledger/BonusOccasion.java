package io.pointsledger.ledger;

import io.pointsledger.tiers.Tier;

/**
 * Why an earn is written: a purchase, or a moment in the member's life a campaign rewards with
 * bonus points alone. {@code key} names the occasion among the member's others of its kind: a
 * campaign that rewards it grants once per member and key (one signup, one arrival in each tier),
 * however often the occasion is reported. {@code tier}: the tier reached, for TIER_REACHED.
 */
public record BonusOccasion(Kind kind, String key, Tier tier) {

    public enum Kind {
        PURCHASE,
        SIGNUP,
        TIER_REACHED
    }

    public static final BonusOccasion PURCHASE = new BonusOccasion(Kind.PURCHASE, "PURCHASE", null);
    public static final BonusOccasion SIGNUP = new BonusOccasion(Kind.SIGNUP, "SIGNUP", null);

    public static BonusOccasion tierReached(Tier tier) {
        return new BonusOccasion(Kind.TIER_REACHED, "TIER_REACHED:" + tier.name(), tier);
    }

    public boolean isPurchase() {
        return kind == Kind.PURCHASE;
    }
}
