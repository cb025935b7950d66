package io.pointsledger.campaigns;

import io.pointsledger.ledger.SalesChannel;
import io.pointsledger.platform.ApiLimits;
import io.pointsledger.tiers.Tier;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * What a purchase must be for the campaign to apply; each condition left out admits every
 * purchase. {@code skus} and {@code categories} name the qualifying items: a multiplier applies to
 * those items only, and a purchase with none of them does not qualify. {@code minimumSpend} is in
 * minor units of the program's currency. {@code segmentId} names a saved segment the member must be
 * in as the earn is decided (its rule evaluated then, like the tier read then).
 */
@Schema(example = """
        {"window": {"from": "2026-12-05T00:00:00", "until": "2026-12-07T00:00:00"}, "channels": ["POS"],
         "partnerIds": null, "skus": null, "categories": ["coffee"], "minimumSpend": 500, "tiers": null, "segmentId": null}""")
public record CampaignConditions(
        @Schema(nullable = true) @Valid CampaignWindow window,
        @Schema(nullable = true) @Size(max = ApiLimits.CAMPAIGN_LIST_MAX) Set<@NotNull SalesChannel> channels,
        @Schema(nullable = true) @Size(max = ApiLimits.CAMPAIGN_LIST_MAX)
        Set<@NotBlank @Size(max = ApiLimits.PARTNER_ID_LENGTH_MAX) String> partnerIds,
        @Schema(nullable = true) @Size(max = ApiLimits.CAMPAIGN_LIST_MAX)
        Set<@NotBlank @Size(max = ApiLimits.SKU_LENGTH_MAX) String> skus,
        @Schema(nullable = true) @Size(max = ApiLimits.CAMPAIGN_LIST_MAX)
        Set<@NotBlank @Size(max = ApiLimits.CATEGORY_LENGTH_MAX) String> categories,
        @Schema(nullable = true) @PositiveOrZero @Max(ApiLimits.AMOUNT_MINOR_UNITS_MAX) Long minimumSpend,
        @Schema(nullable = true) @Size(max = ApiLimits.CAMPAIGN_LIST_MAX) Set<@NotNull Tier> tiers,
        @Schema(nullable = true, description = "A saved segment the member must be in") UUID segmentId) {

    static final CampaignConditions NONE = new CampaignConditions(null, null, null, null, null, null, null, null);

    boolean namesItems() {
        return (skus != null && !skus.isEmpty()) || (categories != null && !categories.isEmpty());
    }
}
