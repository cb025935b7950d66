package io.pointsledger.rewards;

import io.pointsledger.platform.ApiLimits;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** How the reward was handed over: a shipment, a till receipt, a gift card's serial. */
@Schema(example = """
        {"reference": "shipment 88213"}""")
public record FulfilmentRequest(@Schema(nullable = true) @Size(min = 1, max = ApiLimits.ORDER_ID_LENGTH_MAX) String reference) {
}
