package io.pointsledger.ledger;

import io.pointsledger.platform.ApiLimits;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One line of a purchase; kept with the transfer and published for recommendations. */
@Schema(description = "One line of a purchase; unitPrice in minor units.", example = """
        {"sku": "SKU-COFFEE-1KG", "category": "coffee", "quantity": 2, "unitPrice": 6250}""")
public record LineItem(
        @NotBlank @Size(max = ApiLimits.SKU_LENGTH_MAX) String sku,
        @Size(max = ApiLimits.CATEGORY_LENGTH_MAX) String category,
        @NotNull @Positive @Max(ApiLimits.ITEM_QUANTITY_MAX) Integer quantity,
        @NotNull @PositiveOrZero @Max(ApiLimits.AMOUNT_MINOR_UNITS_MAX) Long unitPrice)
        implements RequestFingerprint.Fingerprinted {

    @Override
    public void addFields(RequestFingerprint fingerprint) {
        fingerprint.text("sku", sku).text("category", category).number("quantity", quantity).number("unitPrice", unitPrice);
    }
}
