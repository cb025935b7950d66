package io.pointsledger.holds;

import io.pointsledger.platform.ApiLimits;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Positive;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Captures all the hold's points, or {@code points} of them (the rest is released). */
@Schema(description = "Captures all the hold's points, or points of them (the rest is released).", example = """
        {"points": 250}""")
public record CaptureRequest(@Positive @Max(ApiLimits.TRANSFER_POINTS_MAX) Long points) {
}
