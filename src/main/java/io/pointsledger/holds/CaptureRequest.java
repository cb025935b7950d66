package io.pointsledger.holds;

import io.pointsledger.ledger.RequestFingerprint;
import io.pointsledger.platform.ApiLimits;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Positive;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Captures all the hold's points, or {@code points} of them (the rest is released).
 *
 * <p>Registered for reflection itself: {@code HoldResource} reads it with Jackson from a raw body
 * (no body means a full capture), so Quarkus REST never sees it as a body type. The native build
 * registered it anyway, as a side effect of other extensions (its constraints, its OpenAPI
 * schema): not something for Jackson to rely on.
 */
@RegisterForReflection
@Schema(description = "Captures all the hold's points, or points of them (the rest is released).", example = """
        {"points": 250}""")
public record CaptureRequest(@Positive @Max(ApiLimits.TRANSFER_POINTS_MAX) Long points)
        implements RequestFingerprint.Fingerprinted {

    @Override
    public void addFields(RequestFingerprint fingerprint) {
        fingerprint.number("points", points);
    }
}
