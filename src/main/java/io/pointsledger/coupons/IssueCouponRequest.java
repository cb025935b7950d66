package io.pointsledger.coupons;

import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One code of a definition: to a member (in their wallet, with a COUPON_ISSUED notice), or a bearer code. */
@Schema(example = """
        {"memberId": "8a1e2f3c-4b5d-6e7f-8091-a2b3c4d5e6f7"}""")
public record IssueCouponRequest(@Schema(nullable = true, description = "Left out: a bearer code") UUID memberId) {
}
