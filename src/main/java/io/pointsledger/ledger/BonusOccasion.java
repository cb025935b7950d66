package io.pointsledger.ledger;

import io.pointsledger.tiers.Tier;
import java.util.UUID;

/**
 * Why an earn is written: a purchase, or a moment in the member's life a campaign rewards with
 * bonus points alone. {@code key} names the occasion among the member's others of its kind: a
 * campaign that rewards it grants once per member and key (one signup, one arrival in each tier,
 * one birthday month a year),
 * however often the occasion is reported. {@code tier}: the tier reached, for TIER_REACHED. A
 * points coupon redeemed is an occasion too, granted by its definition ({@code grantorId}) once
 * per code, with the points the earn states.
 */
public record BonusOccasion(Kind kind, String key, Tier tier, UUID grantorId) {

    public enum Kind {
        PURCHASE,
        SIGNUP,
        TIER_REACHED,
        BIRTHDAY_MONTH,
        RESERVATION_ATTENDED,
        COUPON
    }

    public static final BonusOccasion PURCHASE = new BonusOccasion(Kind.PURCHASE, "PURCHASE", null, null);
    public static final BonusOccasion SIGNUP = new BonusOccasion(Kind.SIGNUP, "SIGNUP", null, null);

    public static BonusOccasion tierReached(Tier tier) {
        return new BonusOccasion(Kind.TIER_REACHED, "TIER_REACHED:" + tier.name(), tier, null);
    }

    /** A birthday month: one a year, its key the year (in the program's time zone). */
    public static BonusOccasion birthdayMonth(int year) {
        return new BonusOccasion(Kind.BIRTHDAY_MONTH, "BIRTHDAY_MONTH:" + year, null, null);
    }

    /** A reservation the member came to: one occasion per reservation. */
    public static BonusOccasion reservationAttended(UUID reservationId) {
        return new BonusOccasion(Kind.RESERVATION_ATTENDED, "RESERVATION_ATTENDED:" + reservationId, null, null);
    }

    public static BonusOccasion coupon(UUID definitionId, String code) {
        return new BonusOccasion(Kind.COUPON, "COUPON:" + code, null, definitionId);
    }

    public boolean isPurchase() {
        return kind == Kind.PURCHASE;
    }
}
