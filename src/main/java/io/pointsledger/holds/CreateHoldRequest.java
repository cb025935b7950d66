package io.pointsledger.holds;

import io.pointsledger.ledger.RequestFingerprint;
import io.pointsledger.ledger.SalesChannel;
import io.pointsledger.platform.ApiLimits;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Points reserved at checkout, released after {@code expiresInSeconds} unless captured or voided. */
@Schema(description = "Points reserved at checkout, released after expiresInSeconds (900 when not given) unless "
        + "captured or voided.", example = """
        {"points": 300, "orderId": "cart-8842", "channel": "ONLINE", "expiresInSeconds": 900}""")
public record CreateHoldRequest(
        @NotNull @Positive @Max(ApiLimits.TRANSFER_POINTS_MAX) Long points,
        @NotBlank @Size(max = ApiLimits.ORDER_ID_LENGTH_MAX) String orderId,
        @NotNull SalesChannel channel,
        @Min(1) @Max(HOLD_LIFETIME_SECONDS_MAX) Long expiresInSeconds) implements RequestFingerprint.Fingerprinted {

    /** Fifteen minutes: a checkout session. */
    public static final long HOLD_LIFETIME_SECONDS_DEFAULT = 900;
    /** Seven days: the longest a pre-authorisation may reserve points. */
    public static final long HOLD_LIFETIME_SECONDS_MAX = 604_800;

    @Override
    public void addFields(RequestFingerprint fingerprint) {
        fingerprint.number("points", points).text("orderId", orderId).text("channel", channel == null ? null : channel.name())
                .number("expiresInSeconds", expiresInSeconds);
    }
}
