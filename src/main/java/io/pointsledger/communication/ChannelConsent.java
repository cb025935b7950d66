package io.pointsledger.communication;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.OffsetDateTime;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A member's consent to one channel: never given shows as not granted, with no time and no source. */
@RegisterForReflection(serialization = true)
@Schema(description = "Consent to one channel; changedAt and source are null for a channel the member never answered "
        + "for, which counts as no consent.")
public record ChannelConsent(ContactChannel channel, boolean granted, @Schema(nullable = true) OffsetDateTime changedAt,
        @Schema(nullable = true) ConsentSource source) {
}
