package io.pointsledger.rewards;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Units added to (positive) or taken from (negative) a reward's stock: relative, so it never undoes a claim made meanwhile. */
@Schema(example = """
        {"change": 20}""")
public record StockChangeRequest(
        @NotNull @Min(-RewardRequest.STOCK_MAX) @Max(RewardRequest.STOCK_MAX) Long change) {
}
