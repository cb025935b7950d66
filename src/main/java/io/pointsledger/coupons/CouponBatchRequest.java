package io.pointsledger.coupons;

import io.pointsledger.platform.ApiLimits;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Bearer codes of a definition, issued in the background (to print, or to hand to a partner). */
@Schema(example = """
        {"count": 100000}""")
public record CouponBatchRequest(@NotNull @Min(1) @Max(ApiLimits.COUPON_BATCH_MAX) Integer count) {
}
