package io.pointsledger.ledger;

import io.pointsledger.platform.ApiLimits;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A return or refund: all that is left of the original unless {@code points} says how much. */
@Schema(description = "A return or refund: all that is left of the original unless points says how much.", example = """
        {"points": 100, "reason": "Item returned"}""")
public record ReverseRequest(
        @Positive @Max(ApiLimits.TRANSFER_POINTS_MAX) Long points,
        @NotBlank @Size(max = ApiLimits.REASON_LENGTH_MAX) String reason) implements RequestFingerprint.Fingerprinted {

    @Override
    public void addFields(RequestFingerprint fingerprint) {
        fingerprint.number("points", points).text("reason", reason);
    }
}
