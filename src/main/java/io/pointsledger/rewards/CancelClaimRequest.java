package io.pointsledger.rewards;

import io.pointsledger.platform.ApiLimits;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Why a claim is cancelled, kept on its REWARD_CANCELLATION transfer. Read by OptionalBody rather than from a
 * resource signature, so registered for reflection here for a native executable.
 */
@RegisterForReflection
@Schema(example = """
        {"reason": "Member cannot attend"}""")
public record CancelClaimRequest(@Schema(nullable = true) @Size(min = 1, max = ApiLimits.REASON_LENGTH_MAX) String reason) {
}
