package io.pointsledger.donations;

import io.pointsledger.platform.ApiLimits;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Points added to a cause's matching budget: relative, so matches granted meanwhile are kept. */
@Schema(example = """
        {"addPoints": 100000}""")
public record MatchingBudgetRequest(@NotNull @Positive @Max(ApiLimits.CAMPAIGN_BUDGET_POINTS_MAX) Long addPoints) {
}
