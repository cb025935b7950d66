package io.pointsledger.campaigns;

import io.pointsledger.coupons.CouponService;
import io.pointsledger.ledger.BonusOccasion;
import io.pointsledger.ledger.EarnFacts;
import io.pointsledger.ledger.MemberSegments;
import io.pointsledger.program.ProgramConfig;
import io.pointsledger.tiers.Tier;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The coupons campaigns issue on an occasion (a signup, a tier reached, a birthday month): each
 * active campaign of the occasion's trigger whose effect (or the member's variant's) is a coupon,
 * and whose window, tiers and segment the occasion meets, issues one code, once per member and occasion.
 */
@ApplicationScoped
class CampaignCoupons {

    private final ActiveCampaigns active;
    private final CouponService coupons;
    private final MemberSegments memberSegments;
    private final Pool pool;
    private final ZoneId timeZone;

    CampaignCoupons(ActiveCampaigns active, CouponService coupons, MemberSegments memberSegments, Pool pool, ProgramConfig program) {
        this.active = active;
        this.coupons = coupons;
        this.memberSegments = memberSegments;
        this.pool = pool;
        this.timeZone = program.timeZone();
    }

    /** Whether an active campaign issues a coupon on occasions of this trigger. */
    boolean anyFor(CampaignTrigger trigger) {
        return active.current().campaigns().stream().anyMatch(campaign -> campaign.definition().trigger() == trigger
                && campaign.definition().issuesCoupons());
    }

    /** The number of codes issued now (0 when each campaign had rewarded the occasion before). */
    Uni<Integer> issue(UUID memberId, BonusOccasion occasion, OffsetDateTime occurredAt, Tier tier) {
        List<Campaign> candidates = active.current().campaigns().stream().filter(campaign -> campaign.definition().issuesCoupons())
                .toList();
        Set<UUID> segmentsNamed = candidates.stream().map(campaign -> campaign.definition().conditionsOrNone().segmentId())
                .filter(Objects::nonNull).collect(Collectors.toSet());
        Uni<Set<UUID>> admitting = segmentsNamed.isEmpty() ? Uni.createFrom().item(Set.of())
                : memberSegments.admitted(pool, segmentsNamed, Set.of(memberId)).map(found -> found.getOrDefault(memberId, Set.of()));
        return admitting.flatMap(segments -> issue(candidates, new EarnFacts(occasion, memberId, null, null, 0, List.of(), occurredAt,
                tier, null, 0, segments)));
    }

    private Uni<Integer> issue(List<Campaign> candidates, EarnFacts facts) {
        UUID memberId = facts.memberId();
        BonusOccasion occasion = facts.occasion();
        List<Campaign> issuing = candidates.stream()
                .filter(campaign -> CampaignRules.mayApply(campaign.definition(), facts, timeZone)
                        && !CampaignRules.happenedBefore(campaign, facts))
                .toList();
        return Multi.createFrom().iterable(issuing).onItem().transformToUniAndConcatenate(campaign -> {
            CampaignEffect effect = campaign.effectFor(campaign.variantOf(memberId));
            if (effect == null || effect.givesPoints()) {
                return Uni.createFrom().item(0);
            }
            return coupons.issueForOccasion(memberId, effect.couponDefinitionId(), campaign.campaignId(), occasion.key())
                    .map(coupon -> coupon == null ? 0 : 1);
        }).collect().asList().map(issued -> issued.stream().mapToInt(Integer::intValue).sum());
    }
}
