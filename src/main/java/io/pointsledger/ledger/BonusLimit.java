package io.pointsledger.ledger;

/**
 * What a campaign may grant in all ({@code totalPoints}, its budget) and to one member
 * ({@code perMemberPoints}); null where it sets no such limit.
 */
public record BonusLimit(Long totalPoints, Long perMemberPoints) {

    public static final BonusLimit NONE = new BonusLimit(null, null);

    boolean isBudgeted() {
        return totalPoints != null;
    }

    boolean capsMembers() {
        return perMemberPoints != null;
    }
}
