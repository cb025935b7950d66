package io.pointsledger.campaigns;

import io.pointsledger.ledger.BonusAllowance;
import io.pointsledger.ledger.BonusLimit;
import io.pointsledger.ledger.BonusRules;
import io.pointsledger.ledger.EarnFacts;
import io.pointsledger.ledger.PurchaseBonus;
import io.pointsledger.ledger.PurchaseBonuses;
import io.pointsledger.program.ProgramConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The campaigns as the write path applies them to an earn: in memory, in priority order. Stacking:
 * every campaign a purchase meets adds its bonus, computed on the program rule's points (never on
 * another bonus); an exclusive campaign applies alone, so it is skipped when a campaign of higher
 * priority already applied, and once it applies no campaign after it does. A bonus is what the
 * write path allows of it (what is left of the campaign's budget and member cap); a campaign
 * with nothing left counts as one that did not apply. A campaign run as an A/B test applies its
 * member's variant.
 */
@ApplicationScoped
public class CampaignBonuses implements BonusRules {

    private final ActiveCampaigns active;
    private final ZoneId timeZone;

    CampaignBonuses(ActiveCampaigns active, ProgramConfig program) {
        this.active = active;
        this.timeZone = program.timeZone();
    }

    @Override
    public boolean ready() {
        return active.current().loaded();
    }

    @Override
    public PurchaseBonuses inForce() {
        ActiveCampaigns.Snapshot snapshot = active.current();
        if (!snapshot.loaded()) {
            throw new IllegalStateException("An earn reached the write path before the active campaigns were loaded");
        }
        return snapshot.campaigns().isEmpty() ? PurchaseBonuses.NONE : new InForce(snapshot.campaigns(), timeZone);
    }

    /** One snapshot of the active campaigns, as a batch applies them. */
    private static final class InForce implements PurchaseBonuses {

        private final List<Campaign> campaigns;
        private final List<Campaign> limited;
        private final Map<UUID, BonusLimit> limits = new HashMap<>();
        private final ZoneId timeZone;
        private final boolean asksFirstPurchase;
        private final Set<UUID> segmentsAsked;

        InForce(List<Campaign> campaigns, ZoneId timeZone) {
            this.campaigns = campaigns;
            this.timeZone = timeZone;
            campaigns.forEach(campaign -> limits.put(campaign.campaignId(), campaign.definition().limit()));
            // A budget spent (as this copy knows it: what is granted only grows, and a budget never changes
            // once run) grants nothing more: its row is left unlocked, and the write path, not having read
            // it, grants nothing from it.
            this.limited = campaigns.stream().filter(campaign -> campaign.definition().isLimited() && !spent(campaign)).toList();
            this.asksFirstPurchase = campaigns.stream()
                    .anyMatch(campaign -> campaign.definition().trigger() == CampaignTrigger.FIRST_PURCHASE);
            this.segmentsAsked = campaigns.stream().map(campaign -> campaign.definition().conditionsOrNone().segmentId())
                    .filter(java.util.Objects::nonNull).collect(java.util.stream.Collectors.toUnmodifiableSet());
        }

        private static boolean spent(Campaign campaign) {
            CampaignBudget budget = campaign.definition().budget();
            return budget != null && budget.totalPoints() != null && campaign.budgetGranted() != null
                    && campaign.budgetGranted() >= budget.totalPoints();
        }

        @Override
        public List<PurchaseBonus> bonusesFor(EarnFacts purchase, BonusAllowance allowance) {
            List<PurchaseBonus> bonuses = new ArrayList<>();
            // A holdout applies too, giving nothing: its members must meet the other campaigns as the
            // members of the other variants do, or the test would compare more than this campaign.
            boolean anyApplied = false;
            for (Campaign campaign : campaigns) {
                CampaignDefinition definition = campaign.definition();
                boolean exclusive = definition.isExclusive();
                if ((exclusive && anyApplied) || !CampaignRules.mayApply(definition, purchase, timeZone)
                        || CampaignRules.happenedBefore(campaign, purchase)) {
                    continue;
                }
                Applied applied = grant(campaign, purchase, allowance);
                if (!applied.applied()) {
                    continue;
                }
                anyApplied = true;
                if (applied.points() > 0) {
                    bonuses.add(new PurchaseBonus(campaign.campaignId(), campaign.version(), applied.points()));
                }
                if (exclusive) {
                    break;
                }
            }
            return bonuses;
        }

        /** What a campaign did to a purchase that meets it: whether it applied, and the points it added. */
        private record Applied(boolean applied, long points) {
        }

        /**
         * The points the campaign adds to a purchase that meets it, as allowed; a campaign run as an
         * A/B test applies the effect of the member's variant (none for a holdout) and records the
         * exposure, unless its budget or cap is spent: members it can give nothing any more are
         * left out of the test, in every variant, rather than counted as given nothing.
         */
        private static Applied grant(Campaign campaign, EarnFacts purchase, BonusAllowance allowance) {
            CampaignDefinition definition = campaign.definition();
            CampaignVariant variant = campaign.variantOf(purchase.memberId());
            CampaignEffect effect = campaign.effectFor(variant);
            long wanted = CampaignRules.bonus(definition.conditionsOrNone(), effect, purchase);
            long points = wanted <= 0 ? 0
                    : allowance.grant(campaign.campaignId(), wanted, CampaignRules.onceKey(definition.trigger(), purchase));
            boolean holdout = variant != null && effect == null;
            boolean applied = points > 0 || (holdout && !spent(campaign));
            if (variant != null && applied) {
                allowance.expose(campaign.campaignId(), variant.name(), points);
            }
            return new Applied(applied, points);
        }

        @Override
        public boolean asksFirstPurchase() {
            return asksFirstPurchase;
        }

        @Override
        public Set<UUID> segmentsAsked() {
            return segmentsAsked;
        }

        @Override
        public BonusLimit limitOf(UUID campaignId) {
            return limits.getOrDefault(campaignId, BonusLimit.NONE);
        }

        @Override
        public Set<UUID> limitedCampaignsFor(EarnFacts purchase) {
            if (limited.isEmpty()) {
                return Set.of();
            }
            Set<UUID> candidates = new HashSet<>();
            for (Campaign campaign : limited) {
                if (CampaignRules.mayApply(campaign.definition(), purchase, timeZone)) {
                    candidates.add(campaign.campaignId());
                }
            }
            return candidates;
        }
    }
}
