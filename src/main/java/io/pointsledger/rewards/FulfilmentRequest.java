package io.pointsledger.rewards;

import io.pointsledger.platform.ApiLimits;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * How the reward was handed over: a shipment, a till receipt, a gift card's serial. Read by OptionalBody rather than from a
 * resource signature, so registered for reflection here for a native executable.
 */
@RegisterForReflection
@Schema(example = """
        {"reference": "shipment 88213"}""")
public record FulfilmentRequest(@Schema(nullable = true) @Size(min = 1, max = ApiLimits.ORDER_ID_LENGTH_MAX) String reference) {
}
