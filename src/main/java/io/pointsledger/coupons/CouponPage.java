package io.pointsledger.coupons;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Codes, in the order issued; {@code nextCursor} continues the list, null on its last page. */
@Schema(example = """
        {"items": [], "nextCursor": null}""")
public record CouponPage(List<Coupon> items, @Schema(nullable = true) String nextCursor) {
}
