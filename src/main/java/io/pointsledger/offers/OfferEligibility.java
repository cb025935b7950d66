package io.pointsledger.offers;

import io.pointsledger.platform.ApiLimits;
import io.pointsledger.tiers.Tier;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Who may use an offer; each condition left out admits every member. A new kind of condition (a
 * segment, once segments exist) is one more field here and one more test in {@link OfferRules}.
 */
@Schema(example = """
        {"tiers": ["GOLD"]}""")
public record OfferEligibility(
        @Schema(nullable = true, description = "The tiers it is for") @Size(min = 1, max = ApiLimits.CAMPAIGN_LIST_MAX)
        Set<@NotNull Tier> tiers) {

    static final OfferEligibility EVERY_MEMBER = new OfferEligibility(null);
}
