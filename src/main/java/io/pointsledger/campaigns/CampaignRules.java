package io.pointsledger.campaigns;

import io.pointsledger.ledger.EarnFacts;
import io.pointsledger.ledger.LineItem;
import io.pointsledger.platform.ApiLimits;
import io.pointsledger.platform.ProblemException;
import java.math.BigInteger;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** What makes a campaign definition sound, and what it adds to a purchase. */
final class CampaignRules {

    private static final long BASIS_POINTS_PER_UNIT = 10_000;

    private CampaignRules() {
    }

    /** Fails with VALIDATION_FAILED naming the field. */
    static void validate(CampaignDefinition definition) {
        if ((definition.effect() == null) == (definition.variants() == null)) {
            throw ProblemException.invalid("effect", "exactly one of effect and variants");
        }
        if (definition.hasVariants() && !definition.trigger().isPurchase()) {
            // An occasion's earn is written only when it grants points: a holdout's exposure would be lost.
            throw ProblemException.invalid("variants", "only a PURCHASE or FIRST_PURCHASE campaign is run as an A/B test");
        }
        if (definition.hasVariants()) {
            validateVariants(definition);
        } else {
            validateEffect("effect", definition.effect(), definition);
        }
        CampaignBudget budget = definition.budget();
        if (budget != null && budget.totalPoints() == null && budget.perMemberPoints() == null) {
            throw ProblemException.invalid("budget", "at least one of totalPoints and perMemberPoints; leave budget out for none");
        }
        if (budget != null && budget.totalPoints() != null && budget.perMemberPoints() != null
                && budget.perMemberPoints() > budget.totalPoints()) {
            throw ProblemException.invalid("budget.perMemberPoints", "must not be above totalPoints");
        }
        CampaignConditions conditions = definition.conditionsOrNone();
        if (!definition.trigger().isPurchase()) {
            requireOnlyPurchaseLooksAt(definition, conditions);
        }
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

    private static void validateEffect(String field, CampaignEffect effect, CampaignDefinition definition) {
        int given = (effect.multiplierBasisPoints() == null ? 0 : 1) + (effect.bonusPoints() == null ? 0 : 1)
                + (effect.couponDefinitionId() == null ? 0 : 1);
        if (given != 1) {
            throw ProblemException.invalid(field, "exactly one of multiplierBasisPoints, bonusPoints and couponDefinitionId");
        }
        if (!effect.givesPoints() && definition.trigger().isPurchase()) {
            throw ProblemException.invalid(field + ".couponDefinitionId",
                    "only a SIGNUP, TIER_REACHED, BIRTHDAY_MONTH or RESERVATION_ATTENDED campaign issues a coupon");
        }
        if (!effect.givesPoints() && definition.budget() != null) {
            throw ProblemException.invalid("budget", "a campaign that issues a coupon grants no points to budget");
        }
    }

    /** Distinct names, shares adding up to the whole, exactly one control; a variant without effect is a holdout. */
    private static void validateVariants(CampaignDefinition definition) {
        List<CampaignVariant> variants = definition.variants();
        int shares = 0;
        int controls = 0;
        Set<String> names = new HashSet<>();
        for (int index = 0; index < variants.size(); index++) {
            CampaignVariant variant = variants.get(index);
            if (!names.add(variant.name())) {
                throw ProblemException.invalid("variants[" + index + "].name", "must differ from the other variants'");
            }
            if (variant.effect() != null) {
                validateEffect("variants[" + index + "].effect", variant.effect(), definition);
            }
            shares += variant.shareBasisPoints();
            controls += variant.isControl() ? 1 : 0;
        }
        if (shares != ApiLimits.BASIS_POINTS_WHOLE) {
            throw ProblemException.invalid("variants", "the shares must add up to 10000 basis points, not " + shares);
        }
        if (controls != 1) {
            throw ProblemException.invalid("variants", "exactly one variant must be the control");
        }
    }

    /** A signup has no items, amount, channel or partner to look at, nor points to multiply. */
    private static void requireOnlyPurchaseLooksAt(CampaignDefinition definition, CampaignConditions conditions) {
        String purchaseOnly = "only a purchase campaign looks at it; a " + definition.trigger() + " campaign may name "
                + "a window and tiers";
        boolean multiplies = definition.effects().stream().anyMatch(effect -> effect.multiplierBasisPoints() != null);
        if (multiplies) {
            throw ProblemException.invalid("effect.multiplierBasisPoints",
                    "only a purchase campaign multiplies points; a " + definition.trigger() + " campaign grants bonusPoints");
        }
        if (conditions.channels() != null) {
            throw ProblemException.invalid("conditions.channels", purchaseOnly);
        }
        if (conditions.partnerIds() != null) {
            throw ProblemException.invalid("conditions.partnerIds", purchaseOnly);
        }
        if (conditions.skus() != null) {
            throw ProblemException.invalid("conditions.skus", purchaseOnly);
        }
        if (conditions.categories() != null) {
            throw ProblemException.invalid("conditions.categories", purchaseOnly);
        }
        if (conditions.minimumSpend() != null) {
            throw ProblemException.invalid("conditions.minimumSpend", purchaseOnly);
        }
    }

    /** An empty list would admit nothing: a campaign that can never apply is a mistake, not a choice. */
    private static void requireNotEmpty(String field, Collection<?> values) {
        if (values != null && values.isEmpty()) {
            throw ProblemException.invalid(field, "must not be empty; leave it out to admit every purchase");
        }
    }

    /**
     * The bonus points the campaign adds to {@code purchase}: zero unless the purchase meets every
     * condition. A multiplier multiplies the program rule's points of the qualifying items, taken
     * as their share of the amount (all of the purchase when the campaign names no items).
     */
    static long bonus(CampaignDefinition definition, EarnFacts purchase, ZoneId timeZone) {
        return mayApply(definition, purchase, timeZone) ? bonus(definition.conditionsOrNone(), definition.effect(), purchase) : 0;
    }

    /** What {@code effect} adds to a purchase that meets the conditions: nothing for a holdout (no effect), or a coupon. */
    static long bonus(CampaignConditions conditions, CampaignEffect effect, EarnFacts purchase) {
        if (effect == null || !effect.givesPoints()) {
            return 0;
        }
        if (effect.bonusPoints() != null) {
            return effect.bonusPoints();
        }
        BigInteger extra = BigInteger.valueOf(purchase.points())
                .multiply(BigInteger.valueOf(effect.multiplierBasisPoints() - BASIS_POINTS_PER_UNIT));
        if (!conditions.namesItems()) {
            return extra.divide(BigInteger.valueOf(BASIS_POINTS_PER_UNIT)).longValueExact();
        }
        long qualifying = Math.min(qualifyingAmount(conditions, purchase.items()), purchase.amount());
        if (qualifying <= 0 || purchase.amount() <= 0) {
            return 0;
        }
        return extra.multiply(BigInteger.valueOf(qualifying))
                .divide(BigInteger.valueOf(purchase.amount()).multiply(BigInteger.valueOf(BASIS_POINTS_PER_UNIT)))
                .longValueExact();
    }

    /**
     * Whether the purchase may meet the campaign: every condition but the tier when the purchase's
     * tier is not known yet (null), as when the write path picks the budgets to lock.
     */
    static boolean mayApply(CampaignDefinition definition, EarnFacts purchase, ZoneId timeZone) {
        return rewards(definition.trigger(), purchase) && admits(definition.conditionsOrNone(), purchase, timeZone);
    }

    /** A first-purchase campaign rewards a purchase unless the member is known to have bought before. */
    private static boolean rewards(CampaignTrigger trigger, EarnFacts earn) {
        if (trigger.occasion() != earn.occasion().kind()) {
            return false;
        }
        return trigger != CampaignTrigger.FIRST_PURCHASE || !Boolean.FALSE.equals(earn.firstPurchase());
    }

    /**
     * A signup, tier reached or birthday month from before the campaign existed is not its to
     * reward: a consumer group started afresh reads the events from the start of the topic.
     */
    static boolean happenedBefore(Campaign campaign, EarnFacts earn) {
        return !earn.occasion().isPurchase() && earn.occurredAt().isBefore(campaign.createdAt());
    }

    /** The key a campaign granting once records its grant under: null for one that may grant again. */
    static String onceKey(CampaignTrigger trigger, EarnFacts earn) {
        if (!trigger.grantsOnce()) {
            return null;
        }
        return trigger == CampaignTrigger.FIRST_PURCHASE ? CampaignTrigger.FIRST_PURCHASE.name() : earn.occasion().key();
    }

    private static boolean admits(CampaignConditions conditions, EarnFacts purchase, ZoneId timeZone) {
        if (conditions.channels() != null && (purchase.channel() == null
                || conditions.channels().stream().noneMatch(channel -> channel.name().equals(purchase.channel())))) {
            return false;
        }
        if (conditions.partnerIds() != null && !conditions.partnerIds().contains(purchase.partnerId())) {
            return false;
        }
        if (conditions.tiers() != null && purchase.tier() != null && !conditions.tiers().contains(purchase.tier())) {
            return false;
        }
        if (conditions.segmentId() != null && purchase.segments() != null && !purchase.segments().contains(conditions.segmentId())) {
            return false;
        }
        if (conditions.minimumSpend() != null && purchase.amount() < conditions.minimumSpend()) {
            return false;
        }
        if (conditions.namesItems() && qualifyingAmount(conditions, purchase.items()) <= 0) {
            return false;
        }
        return conditions.window() == null
                || inWindow(conditions.window(), purchase.occurredAt().atZoneSameInstant(timeZone).toLocalDateTime());
    }

    /** {@code from} and {@code fromTime} inclusive, {@code until} and {@code untilTime} exclusive. */
    static boolean inWindow(CampaignWindow window, LocalDateTime at) {
        if (window.from() != null && at.isBefore(window.from())) {
            return false;
        }
        if (window.until() != null && !at.isBefore(window.until())) {
            return false;
        }
        if (window.daysOfWeek() != null && !window.daysOfWeek().contains(at.getDayOfWeek())) {
            return false;
        }
        LocalTime time = at.toLocalTime();
        if (window.fromTime() != null && time.isBefore(window.fromTime())) {
            return false;
        }
        return window.untilTime() == null || time.isBefore(window.untilTime());
    }

    /** What the items the campaign names cost, in minor units; saturates rather than overflows. */
    private static long qualifyingAmount(CampaignConditions conditions, List<LineItem> items) {
        long total = 0;
        for (LineItem item : items) {
            boolean named = (conditions.skus() != null && conditions.skus().contains(item.sku()))
                    || (conditions.categories() != null && item.category() != null
                            && conditions.categories().contains(item.category()));
            if (named) {
                total = saturatedSum(total, saturatedProduct(item.quantity(), item.unitPrice()));
            }
        }
        return total;
    }

    private static long saturatedProduct(long first, long second) {
        try {
            return Math.multiplyExact(first, second);
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    private static long saturatedSum(long first, long second) {
        try {
            return Math.addExact(first, second);
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }
}
