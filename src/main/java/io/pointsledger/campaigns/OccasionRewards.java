package io.pointsledger.campaigns;

import io.pointsledger.ledger.BonusOccasion;
import io.pointsledger.ledger.LedgerService;
import io.pointsledger.tiers.Tier;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * A member's occasion (a signup, a tier reached, a birthday month) rewarded by the active campaigns
 * of its trigger: their bonus points in one earn through the write path, and their coupons. Each
 * campaign rewards the occasion once per member, however often it is reported. Occasions are many
 * (a bulk import enrolls millions): with no active campaign of the trigger they cost no write.
 */
@ApplicationScoped
class OccasionRewards {

    private final ActiveCampaigns active;
    private final LedgerService ledger;
    private final CampaignCoupons coupons;

    OccasionRewards(ActiveCampaigns active, LedgerService ledger, CampaignCoupons coupons) {
        this.active = active;
        this.ledger = ledger;
        this.coupons = coupons;
    }

    Uni<Void> reward(UUID memberId, CampaignTrigger trigger, BonusOccasion occasion, OffsetDateTime occurredAt, Tier tier) {
        Uni<Long> points = givesPoints(trigger) ? ledger.grantOccasion(memberId, occasion, occurredAt) : Uni.createFrom().item(0L);
        return points.chain(() -> coupons.anyFor(trigger) ? coupons.issue(memberId, occasion, occurredAt, tier)
                : Uni.createFrom().item(0)).replaceWithVoid();
    }

    /** Whether an active campaign of the trigger gives points (its effect, or one of its variants'). */
    boolean givesPoints(CampaignTrigger trigger) {
        return active.current().campaigns().stream().anyMatch(campaign -> campaign.definition().trigger() == trigger
                && campaign.definition().givesPoints());
    }

    boolean anyActive(CampaignTrigger trigger) {
        return active.current().campaigns().stream().anyMatch(campaign -> campaign.definition().trigger() == trigger);
    }
}
