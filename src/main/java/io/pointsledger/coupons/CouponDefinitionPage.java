package io.pointsledger.coupons;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Coupon definitions, newest first; {@code nextCursor} continues the list, null on its last page. */
@Schema(example = """
        {"items": [], "nextCursor": null}""")
public record CouponDefinitionPage(List<CouponDefinition> items, @Schema(nullable = true) String nextCursor) {
}
