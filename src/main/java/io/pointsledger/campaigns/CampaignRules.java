package io.pointsledger.campaigns;

import io.pointsledger.platform.ProblemException;
import java.util.Collection;

/** What makes a campaign definition sound, beyond each field's own limits. */
final class CampaignRules {

    private CampaignRules() {
    }

    /** Fails with VALIDATION_FAILED naming the field. */
    static void validate(CampaignDefinition definition) {
        CampaignEffect effect = definition.effect();
        if ((effect.multiplierBasisPoints() == null) == (effect.bonusPoints() == null)) {
            throw ProblemException.invalid("effect", "exactly one of multiplierBasisPoints and bonusPoints");
        }
        CampaignConditions conditions = definition.conditionsOrNone();
        requireNotEmpty("conditions.channels", conditions.channels());
        requireNotEmpty("conditions.partnerIds", conditions.partnerIds());
        requireNotEmpty("conditions.skus", conditions.skus());
        requireNotEmpty("conditions.categories", conditions.categories());
        requireNotEmpty("conditions.tiers", conditions.tiers());
        CampaignWindow window = conditions.window();
        if (window == null) {
            return;
        }
        requireNotEmpty("conditions.window.daysOfWeek", window.daysOfWeek());
        if (window.from() != null && window.until() != null && !window.from().isBefore(window.until())) {
            throw ProblemException.invalid("conditions.window.until", "must be after from");
        }
        if (window.fromTime() != null && window.untilTime() != null && !window.fromTime().isBefore(window.untilTime())) {
            throw ProblemException.invalid("conditions.window.untilTime", "must be after fromTime (on the same day)");
        }
    }

    /** An empty list would admit nothing: a campaign that can never apply is a mistake, not a choice. */
    private static void requireNotEmpty(String field, Collection<?> values) {
        if (values != null && values.isEmpty()) {
            throw ProblemException.invalid(field, "must not be empty; leave it out to admit every purchase");
        }
    }
}
