package io.pointsledger.coupons;

import io.pointsledger.platform.ApiLimits;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import java.time.OffsetDateTime;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A coupon as the operator writes it: its kind and the one value field of that kind
 * ({@code points}, {@code percentOffBasisPoints}, {@code amountOff} or {@code sku}), and when and
 * how it may be used. Amounts are in minor units of the program's currency. Stored as JSON.
 */
@RegisterForReflection(serialization = true)
@Schema(example = """
        {"name": "20 % off the summer sale", "description": null, "kind": "PERCENT_OFF", "percentOffBasisPoints": 2000,
         "minimumSpend": 1000, "validFrom": "2026-07-01T00:00:00+09:00", "validUntil": "2026-08-01T00:00:00+09:00",
         "perMemberLimit": 1}""")
public record CouponDefinitionRequest(
        @NotBlank @Size(max = ApiLimits.NAME_LENGTH_MAX) String name,
        @Schema(nullable = true) @Size(max = ApiLimits.DESCRIPTION_LENGTH_MAX) String description,
        @NotNull CouponKind kind,
        @Schema(nullable = true, description = "POINTS: the points it gives")
        @Min(1) @Max(ApiLimits.TRANSFER_POINTS_MAX) Long points,
        @Schema(nullable = true, description = "PERCENT_OFF: 100 is 1 %, 10 000 all of it")
        @Min(1) @Max(ApiLimits.BASIS_POINTS_WHOLE) Integer percentOffBasisPoints,
        @Schema(nullable = true, description = "AMOUNT_OFF: minor units of the program's currency")
        @Min(1) @Max(ApiLimits.AMOUNT_MINOR_UNITS_MAX) Long amountOff,
        @Schema(nullable = true, description = "BUY_ONE_GET_ONE and FREE_ITEM: the item it makes free")
        @Size(min = 1, max = ApiLimits.SKU_LENGTH_MAX) String sku,
        @Schema(nullable = true, description = "The least a basket must cost, in minor units")
        @PositiveOrZero @Max(ApiLimits.AMOUNT_MINOR_UNITS_MAX) Long minimumSpend,
        @Schema(nullable = true, description = "From when (inclusive)") OffsetDateTime validFrom,
        @Schema(nullable = true, description = "Until when (exclusive)") OffsetDateTime validUntil,
        @Schema(nullable = true, description = "Coupons of this definition one member may redeem (left out: no limit)")
        @Min(1) @Max(ApiLimits.COUPON_PER_MEMBER_LIMIT_MAX) Integer perMemberLimit) {
}
