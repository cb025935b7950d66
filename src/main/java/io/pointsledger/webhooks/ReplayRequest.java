package io.pointsledger.webhooks;

import jakarta.validation.constraints.NotNull;
import java.time.OffsetDateTime;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Which dead deliveries to try again: those of events since a moment (a receiver's outage began). */
@Schema(example = """
        {"since": "2026-11-28T22:00:00Z"}""")
public record ReplayRequest(@NotNull OffsetDateTime since) {
}
