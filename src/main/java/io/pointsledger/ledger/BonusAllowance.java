package io.pointsledger.ledger;

import java.util.UUID;

/**
 * What the write path allows a campaign to add to one earn: asked by the bonus rules for each
 * bonus they decide, in order, so that a campaign whose budget or member cap is spent does not
 * apply (and does not keep an exclusive campaign after it from applying). Told, too, when the earn
 * exposes the member to a campaign run as an A/B test, to record the exposure with the earn.
 */
public interface BonusAllowance {

    /**
     * Of the {@code points} the campaign would add, those it may (0 to points), counted as granted.
     * {@code onceKey}: for a campaign that grants once per member and occasion, the occasion's key
     * (nothing when the member already had it); null for one that may grant again.
     */
    long grant(UUID campaignId, long points, String onceKey);

    /**
     * The earn met the conditions of a campaign run as an A/B test, whose {@code variant} the member
     * is in, and was granted {@code points} by it (0 for a holdout): recorded at the member's first
     * exposure, the points added up.
     */
    void expose(UUID campaignId, String variant, long points);
}
