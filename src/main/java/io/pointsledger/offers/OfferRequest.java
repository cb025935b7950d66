package io.pointsledger.offers;

import io.pointsledger.platform.ApiLimits;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * An offer as the operator writes it: what it is, for whom, when, and how a member uses it (a
 * coupon definition whose codes carry it, a SKU, a discount, an event's time and place). Stored as JSON.
 */
@RegisterForReflection(serialization = true)
@Schema(example = """
        {"name": "GOLD members: 20 % off the new collection", "description": "Members only, this month",
         "kind": "DISCOUNT", "eligibility": {"tiers": ["GOLD"]}, "validFrom": "2026-12-01T00:00:00+09:00",
         "validUntil": "2027-01-01T00:00:00+09:00", "percentOffBasisPoints": 2000, "sku": null, "eventAt": null,
         "venue": null, "couponDefinitionId": null}""")
public record OfferRequest(
        @NotBlank @Size(max = ApiLimits.NAME_LENGTH_MAX) String name,
        @Schema(nullable = true) @Size(max = ApiLimits.DESCRIPTION_LENGTH_MAX) String description,
        @NotNull OfferKind kind,
        @Schema(nullable = true, description = "Left out: every member") @Valid OfferEligibility eligibility,
        @Schema(nullable = true, description = "From when (inclusive)") OffsetDateTime validFrom,
        @Schema(nullable = true, description = "Until when (exclusive)") OffsetDateTime validUntil,
        @Schema(nullable = true, description = "A discount: 100 is 1 %") @Min(1) @Max(ApiLimits.BASIS_POINTS_WHOLE)
        Integer percentOffBasisPoints,
        @Schema(nullable = true, description = "The product it is about") @Size(min = 1, max = ApiLimits.SKU_LENGTH_MAX) String sku,
        @Schema(nullable = true, description = "An event's start") OffsetDateTime eventAt,
        @Schema(nullable = true, description = "An event's place") @Size(min = 1, max = ApiLimits.NAME_LENGTH_MAX) String venue,
        @Schema(nullable = true, description = "The coupon definition whose codes a member uses it with") UUID couponDefinitionId) {

    OfferEligibility eligibilityOrEveryMember() {
        return eligibility == null ? OfferEligibility.EVERY_MEMBER : eligibility;
    }
}
