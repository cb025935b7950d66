package io.pointsledger.coupons;

import io.pointsledger.ledger.Money;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * What a coupon gives on a basket: a discount, free items, or points (posted to the member's
 * account by the redemption, through the ledger). The answer to a validation (nothing changes)
 * and to a redemption ({@code redeemedAt} set), replayed as first given to a retried redemption.
 */
@RegisterForReflection(serialization = true)
@Schema(example = """
        {"code": "7KQ2M9XH4TJD3WPA", "definitionId": "0193a1b2-7c4d-7e5f-8a9b-0c1d2e3f4a5b", "kind": "PERCENT_OFF",
         "memberId": "8a1e2f3c-4b5d-6e7f-8091-a2b3c4d5e6f7", "orderId": "pos-7-20261129-0042",
         "discount": {"value": 2500, "currency": "USD"}, "freeItems": [], "points": null, "redeemedAt": null}""")
public record CouponRedemption(
        String code,
        UUID definitionId,
        CouponKind kind,
        UUID memberId,
        String orderId,
        @Schema(nullable = true) Money discount,
        List<FreeItem> freeItems,
        @Schema(nullable = true) Long points,
        @Schema(nullable = true) OffsetDateTime redeemedAt) {

    /** Units of a SKU the coupon makes free. */
    public record FreeItem(String sku, long quantity) {
    }
}
