package io.pointsledger.campaigns;

import io.pointsledger.platform.ApiLimits;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The most bonus points a campaign grants in all ({@code totalPoints}) and to one member
 * ({@code perMemberPoints}); at least one of them. Never exceeded, however many earns run at
 * once: a bonus that would pass a limit is cut to what is left of it, and one with nothing left
 * adds nothing (the earn itself still posts). A reversed bonus is not given back to the budget.
 * Set on the draft; fixed once the campaign has run.
 */
@Schema(example = """
        {"totalPoints": 500000, "perMemberPoints": 1000}""")
public record CampaignBudget(
        @Schema(nullable = true) @Min(1) @Max(ApiLimits.CAMPAIGN_BUDGET_POINTS_MAX) Long totalPoints,
        @Schema(nullable = true) @Min(1) @Max(ApiLimits.TRANSFER_POINTS_MAX) Long perMemberPoints) {
}
