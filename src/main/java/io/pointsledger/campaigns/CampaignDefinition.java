package io.pointsledger.campaigns;

import io.pointsledger.ledger.BonusLimit;
import io.pointsledger.platform.ApiLimits;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.Objects;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A campaign as the operator writes it, and as each version stores it: what triggers it, the
 * conditions a purchase must meet, and the effect. {@code priority} and {@code exclusive} decide
 * how campaigns stack (README, "Campaigns"): higher priority first; an exclusive campaign applies
 * alone. {@code budget} limits the bonus points it grants. A campaign run as an A/B test has
 * {@code variants} instead of one {@code effect}. Stored as JSON
 * ({@code campaign_versions.definition}).
 */
@RegisterForReflection(serialization = true)
@Schema(example = """
        {"name": "Double points on coffee this weekend", "description": "Weekend promotion", "trigger": "PURCHASE",
         "priority": 10, "exclusive": false,
         "conditions": {"window": {"from": "2026-12-05T00:00:00", "until": "2026-12-07T00:00:00"},
                        "categories": ["coffee"]},
         "effect": {"multiplierBasisPoints": 20000}, "budget": {"totalPoints": 500000, "perMemberPoints": 1000}}""")
public record CampaignDefinition(
        @NotBlank @Size(max = ApiLimits.NAME_LENGTH_MAX) String name,
        @Schema(nullable = true) @Size(max = ApiLimits.DESCRIPTION_LENGTH_MAX) String description,
        @NotNull CampaignTrigger trigger,
        @NotNull @Min(0) @Max(ApiLimits.CAMPAIGN_PRIORITY_MAX) Integer priority,
        @Schema(nullable = true, description = "Applies alone (default false)") Boolean exclusive,
        @Schema(nullable = true) @Valid CampaignConditions conditions,
        @Schema(nullable = true, description = "What it adds; left out when it has variants") @Valid CampaignEffect effect,
        @Schema(nullable = true, description = "Left out: no limit") @Valid CampaignBudget budget,
        @Schema(nullable = true, description = "An A/B test: each member is in one variant, with its own effect")
        @Size(min = 2, max = ApiLimits.CAMPAIGN_VARIANTS_MAX) List<@NotNull @Valid CampaignVariant> variants) {

    boolean isExclusive() {
        return Boolean.TRUE.equals(exclusive);
    }

    /** The budget as the write path applies it. */
    BonusLimit limit() {
        return new BonusLimit(budget == null ? null : budget.totalPoints(), budget == null ? null : budget.perMemberPoints(),
                trigger.grantsOnce());
    }

    boolean hasVariants() {
        return variants != null;
    }

    /** Every effect it may apply: its own, or its variants' (a holdout has none). */
    List<CampaignEffect> effects() {
        return hasVariants() ? variants.stream().map(CampaignVariant::effect).filter(Objects::nonNull).toList() : List.of(effect);
    }

    /** Whether an effect of it gives points: the write path applies it to earns. */
    boolean givesPoints() {
        return effects().stream().anyMatch(CampaignEffect::givesPoints);
    }

    /** Whether an effect of it issues a coupon: the campaigns' consumer and job issue it apart from earns. */
    boolean issuesCoupons() {
        return effects().stream().anyMatch(effect -> !effect.givesPoints());
    }

    /** Whether the write path must read a limit of it before deciding: a budget, a cap, or once per occasion. */
    boolean isLimited() {
        return budget != null || trigger.grantsOnce();
    }

    CampaignConditions conditionsOrNone() {
        return conditions == null ? CampaignConditions.NONE : conditions;
    }
}
