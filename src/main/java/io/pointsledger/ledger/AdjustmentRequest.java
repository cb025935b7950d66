package io.pointsledger.ledger;

import io.pointsledger.platform.ApiLimits;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** An operator's correction: points to add (positive) or take (negative), and why. */
@Schema(description = "An operator's correction: points to add (positive) or take (negative, never zero), and why. "
        + "A negative adjustment cannot overdraw unless allowNegative.", example = """
        {"points": 150, "reason": "Goodwill for a delayed delivery", "allowNegative": false}""")
public record AdjustmentRequest(
        @NotNull @Min(-ApiLimits.TRANSFER_POINTS_MAX) @Max(ApiLimits.TRANSFER_POINTS_MAX) Long points,
        @NotBlank @Size(max = ApiLimits.REASON_LENGTH_MAX) String reason,
        Boolean allowNegative) implements RequestFingerprint.Fingerprinted {

    @Override
    public void addFields(RequestFingerprint fingerprint) {
        // Absent and false mean the same: they fingerprint the same.
        fingerprint.number("points", points).text("reason", reason)
                .flag("allowNegative", Boolean.TRUE.equals(allowNegative) ? Boolean.TRUE : null);
    }

    @jakarta.validation.constraints.AssertTrue(message = "must not be zero")
    @Schema(hidden = true)
    public boolean isPointsNonZero() {
        return points == null || points != 0;
    }
}
