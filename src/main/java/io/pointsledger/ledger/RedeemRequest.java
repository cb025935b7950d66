package io.pointsledger.ledger;

import io.pointsledger.platform.ApiLimits;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Points spent against a purchase. */
@Schema(example = """
        {"points": 500, "orderId": "web-20261129-0042", "channel": "ONLINE"}""")
public record RedeemRequest(
        @NotNull @Positive @Max(ApiLimits.TRANSFER_POINTS_MAX) Long points,
        @NotBlank @Size(max = ApiLimits.ORDER_ID_LENGTH_MAX) String orderId,
        @NotNull SalesChannel channel) implements RequestFingerprint.Fingerprinted {

    @Override
    public void addFields(RequestFingerprint fingerprint) {
        fingerprint.number("points", points).text("orderId", orderId).text("channel", channel == null ? null : channel.name());
    }
}
