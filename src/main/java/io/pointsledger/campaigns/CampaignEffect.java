package io.pointsledger.campaigns;

import io.pointsledger.platform.ApiLimits;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * What a campaign adds to a qualifying purchase or occasion, exactly one of: a multiplier of the
 * points its qualifying items earn, in basis points (20 000: double points, so the bonus is as
 * much again), a fixed number of bonus points, or a coupon issued to the member (a signup, tier
 * reached or birthday month campaign: a code of that coupon definition, once per occasion).
 */
@Schema(example = """
        {"multiplierBasisPoints": 20000, "bonusPoints": null, "couponDefinitionId": null}""")
public record CampaignEffect(
        @Schema(nullable = true) @Min(ApiLimits.CAMPAIGN_MULTIPLIER_MIN) @Max(ApiLimits.CAMPAIGN_MULTIPLIER_MAX)
        Integer multiplierBasisPoints,
        @Schema(nullable = true) @Min(1) @Max(ApiLimits.CAMPAIGN_BONUS_POINTS_MAX) Long bonusPoints,
        @Schema(nullable = true, description = "The coupon definition whose code it issues") UUID couponDefinitionId) {

    /** Only points: a coupon is issued apart, by the campaigns' consumer or job, not in an earn. */
    boolean givesPoints() {
        return couponDefinitionId == null;
    }
}
