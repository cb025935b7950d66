package io.pointsledger.offers;

import io.pointsledger.platform.ApiLimits;
import io.pointsledger.tiers.Tier;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Who may use an offer; each condition left out admits every member, and a member must meet each
 * one given. The segment's rule is evaluated as the member's offers are asked for.
 */
@Schema(example = """
        {"tiers": ["GOLD"], "segmentId": null}""")
public record OfferEligibility(
        @Schema(nullable = true, description = "The tiers it is for") @Size(min = 1, max = ApiLimits.CAMPAIGN_LIST_MAX)
        Set<@NotNull Tier> tiers,
        @Schema(nullable = true, description = "A saved segment it is for") UUID segmentId) {

    static final OfferEligibility EVERY_MEMBER = new OfferEligibility(null, null);
}
