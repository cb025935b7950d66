package io.pointsledger.ledger;

/**
 * What a campaign may grant in all ({@code totalPoints}, its budget) and to one member
 * ({@code perMemberPoints}), null where it sets no such limit; and whether it grants once per
 * member and occasion ({@code grantedOnce}: a signup, a first purchase, a birthday month).
 */
public record BonusLimit(Long totalPoints, Long perMemberPoints, boolean grantedOnce) {

    public static final BonusLimit NONE = new BonusLimit(null, null, false);

    boolean isBudgeted() {
        return totalPoints != null;
    }

    boolean capsMembers() {
        return perMemberPoints != null;
    }
}
