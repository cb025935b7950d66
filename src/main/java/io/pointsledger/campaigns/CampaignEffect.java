package io.pointsledger.campaigns;

import io.pointsledger.platform.ApiLimits;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * What a campaign adds to a qualifying purchase, exactly one of: a multiplier of the points its
 * qualifying items earn, in basis points (20 000: double points, so the bonus is as much again),
 * or a fixed number of bonus points.
 */
@Schema(example = """
        {"multiplierBasisPoints": 20000, "bonusPoints": null}""")
public record CampaignEffect(
        @Schema(nullable = true) @Min(ApiLimits.CAMPAIGN_MULTIPLIER_MIN) @Max(ApiLimits.CAMPAIGN_MULTIPLIER_MAX)
        Integer multiplierBasisPoints,
        @Schema(nullable = true) @Min(1) @Max(ApiLimits.CAMPAIGN_BONUS_POINTS_MAX) Long bonusPoints) {
}
