package io.pointsledger.coupons;

import io.pointsledger.platform.ApiLimits;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The checkout a coupon is held for, or released from. */
@Schema(example = """
        {"memberId": "8a1e2f3c-4b5d-6e7f-8091-a2b3c4d5e6f7", "orderId": "pos-7-20261129-0042"}""")
public record CouponHoldRequest(@NotNull UUID memberId, @NotBlank @Size(max = ApiLimits.ORDER_ID_LENGTH_MAX) String orderId) {
}
