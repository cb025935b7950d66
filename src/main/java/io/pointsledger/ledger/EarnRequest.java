package io.pointsledger.ledger;

import io.pointsledger.platform.ApiLimits;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.time.OffsetDateTime;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Points for a purchase. Without {@code points}, the program's earn rule and the member's tier
 * multiplier decide; with it, exactly that many points are awarded.
 */
@Schema(description = "Points for a purchase. Without points, the program's earn rule and the member's tier multiplier "
        + "decide; with it, exactly that many are awarded. amount.currency must be the program's currency. occurredAt "
        + "defaults to now and may be at most 365 days before now and 5 minutes after it.", example = """
        {"orderId": "pos-7-20261129-0042", "amount": {"value": 12500, "currency": "USD"},
         "items": [{"sku": "SKU-COFFEE-1KG", "category": "coffee", "quantity": 2, "unitPrice": 6250}],
         "channel": "POS"}""")
public record EarnRequest(
        @NotBlank @Size(max = ApiLimits.ORDER_ID_LENGTH_MAX) String orderId,
        @NotNull @Valid Money amount,
        @Size(max = ApiLimits.ITEMS_MAX) List<@NotNull @Valid LineItem> items,
        @NotNull SalesChannel channel,
        @Positive @Max(ApiLimits.TRANSFER_POINTS_MAX) Long points,
        OffsetDateTime occurredAt) implements RequestFingerprint.Fingerprinted {

    @Override
    public void addFields(RequestFingerprint fingerprint) {
        // No items and an empty list mean the same: they fingerprint the same.
        fingerprint.text("orderId", orderId).object("amount", amount).list("items", itemsOrEmpty().isEmpty() ? null : items)
                .text("channel", channel == null ? null : channel.name()).number("points", points)
                .time("occurredAt", occurredAt);
    }

    public List<LineItem> itemsOrEmpty() {
        return items == null ? List.of() : items;
    }
}
