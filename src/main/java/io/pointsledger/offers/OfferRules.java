package io.pointsledger.offers;

import io.pointsledger.platform.ProblemException;
import io.pointsledger.tiers.Tier;
import java.time.OffsetDateTime;

/** What makes an offer sound, and whether a member may use it now. */
final class OfferRules {

    private OfferRules() {
    }

    /** Fails with VALIDATION_FAILED naming the field. */
    static void validate(OfferRequest offer) {
        if (offer.validFrom() != null && offer.validUntil() != null && !offer.validFrom().isBefore(offer.validUntil())) {
            throw ProblemException.invalid("validUntil", "must be after validFrom");
        }
        if (offer.kind() == OfferKind.EVENT_INVITATION && offer.eventAt() == null) {
            throw ProblemException.invalid("eventAt", "required for an EVENT_INVITATION");
        }
        if (offer.kind() == OfferKind.DISCOUNT && offer.percentOffBasisPoints() == null && offer.couponDefinitionId() == null) {
            throw ProblemException.invalid("percentOffBasisPoints", "a DISCOUNT states its discount, or the coupon that gives it");
        }
        if (offer.kind() == OfferKind.LIMITED_PRODUCT && offer.sku() == null) {
            throw ProblemException.invalid("sku", "required for a LIMITED_PRODUCT");
        }
    }

    /** In its window, and the member meets every condition of its eligibility. */
    static boolean usableBy(Offer offer, Tier tier, OffsetDateTime now) {
        OfferRequest definition = offer.definition();
        if (offer.status() != OfferStatus.ACTIVE) {
            return false;
        }
        if (definition.validFrom() != null && now.isBefore(definition.validFrom())) {
            return false;
        }
        if (definition.validUntil() != null && !now.isBefore(definition.validUntil())) {
            return false;
        }
        OfferEligibility eligibility = definition.eligibilityOrEveryMember();
        return eligibility.tiers() == null || eligibility.tiers().contains(tier);
    }
}
