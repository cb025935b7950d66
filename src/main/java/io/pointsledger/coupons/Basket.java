package io.pointsledger.coupons;

import io.pointsledger.ledger.LineItem;
import io.pointsledger.ledger.Money;
import io.pointsledger.platform.ApiLimits;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A checkout a coupon is validated against, held for or redeemed on: the member, the order, and
 * what is in the basket (needed by the discounts; a points coupon needs neither amount nor items).
 */
@Schema(example = """
        {"memberId": "8a1e2f3c-4b5d-6e7f-8091-a2b3c4d5e6f7", "orderId": "pos-7-20261129-0042",
         "amount": {"value": 12500, "currency": "USD"},
         "items": [{"sku": "SKU-COFFEE-1KG", "category": "coffee", "quantity": 2, "unitPrice": 6250}]}""")
public record Basket(
        @NotNull UUID memberId,
        @NotBlank @Size(max = ApiLimits.ORDER_ID_LENGTH_MAX) String orderId,
        @Schema(nullable = true) @Valid Money amount,
        @Schema(nullable = true) @Size(max = ApiLimits.ITEMS_MAX) List<@NotNull @Valid LineItem> items) {

    List<LineItem> itemsOrEmpty() {
        return items == null ? List.of() : items;
    }
}
