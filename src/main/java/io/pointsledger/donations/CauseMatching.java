package io.pointsledger.donations;

import io.pointsledger.platform.ApiLimits;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The program adds {@code rateBasisPoints} of each donation (1 000 is 10 %) from its own points, until it has added {@code budgetPoints}. */
@Schema(example = """
        {"rateBasisPoints": 1000, "budgetPoints": 500000}""")
public record CauseMatching(
        @NotNull @Min(0) @Max(RATE_MAX) Integer rateBasisPoints,
        @NotNull @Min(0) @Max(ApiLimits.CAMPAIGN_BUDGET_POINTS_MAX) Long budgetPoints) {

    /** Matching at most ten times the donation. */
    public static final int RATE_MAX = 100_000;

    static final CauseMatching NONE = new CauseMatching(0, 0L);
}
