package io.pointsledger.holds;

import io.pointsledger.platform.ApiLimits;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Positive;

/** Captures all the hold's points, or {@code points} of them (the rest is released). */
public record CaptureRequest(@Positive @Max(ApiLimits.TRANSFER_POINTS_MAX) Long points) {
}
