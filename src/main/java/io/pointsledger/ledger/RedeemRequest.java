package io.pointsledger.ledger;

import io.pointsledger.platform.ApiLimits;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;

/** Points spent against a purchase. */
public record RedeemRequest(
        @NotNull @Positive @Max(ApiLimits.TRANSFER_POINTS_MAX) Long points,
        @NotBlank @Size(max = ApiLimits.ORDER_ID_LENGTH_MAX) String orderId,
        @NotNull SalesChannel channel) {
}
