package io.pointsledger.rewards;

import io.pointsledger.tiers.Tier;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Who may see and claim a reward; each condition left out admits every member. A member it does
 * not admit is told the reward does not exist (404 REWARD_NOT_FOUND), as the catalogue leaves it out.
 */
@Schema(example = """
        {"tiers": ["GOLD"]}""")
public record RewardEligibility(
        @Schema(nullable = true, description = "The tiers it is for") @Size(min = 1, max = 3) Set<@NotNull Tier> tiers) {
}
