package io.pointsledger.rewards;

import io.pointsledger.ledger.SalesChannel;
import io.pointsledger.platform.ApiLimits;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A claim of one unit. {@code expectedPoints}: the price the member was shown; when given, a claim
 * at any other price is refused (409 PRICE_CHANGED) rather than charged.
 */
@Schema(example = """
        {"channel": "ONLINE", "expectedPoints": 1200}""")
public record ClaimRequest(
        @NotNull SalesChannel channel,
        @Schema(nullable = true, description = "The price shown to the member") @Positive @Max(ApiLimits.TRANSFER_POINTS_MAX)
        Long expectedPoints) {
}
