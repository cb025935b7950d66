package io.pointsledger.communication;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.OffsetDateTime;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** What a click on an unsubscribe link did; nothing more of the member is shown to whoever holds the link. */
@RegisterForReflection(serialization = true)
@Schema(description = "The channel the member no longer receives messages on, and since when.", example = """
        {"channel": "EMAIL", "unsubscribedAt": "2026-11-29T09:15:00Z"}""")
public record Unsubscribed(ContactChannel channel, OffsetDateTime unsubscribedAt) {
}
