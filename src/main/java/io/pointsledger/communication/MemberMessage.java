package io.pointsledger.communication;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One message to a member on one channel, as the delivery log keeps it. */
@RegisterForReflection(serialization = true)
@Schema(description = "One message to a member on one channel, and how its delivery went. PENDING: not yet taken by a "
        + "provider (nextAttemptAt says when it is tried); SENT: handed to the provider; FAILED: given up; SKIPPED: not "
        + "sent, the member no longer reachable on the channel (lastError says why).", example = """
        {"messageId": "5b0c1f2e-6a1d-3c4b-9e8f-7a6b5c4d3e2f", "memberId": "3f6c1a2e-8d4b-4f7a-9c1e-2b5d6a7e8f90",
         "channel": "EMAIL", "kind": "ANNOUNCEMENT", "announcementId": "01938f3c-2a4b-7c5d-8e6f-a1b2c3d4e5f6",
         "status": "SENT", "attempts": 1, "nextAttemptAt": null, "lastError": null,
         "createdAt": "2026-11-30T09:00:00Z", "settledAt": "2026-11-30T09:00:01Z"}""")
public record MemberMessage(@JsonIgnore long sequence, UUID messageId, UUID memberId, ContactChannel channel, MessageKind kind,
        @Schema(nullable = true) UUID announcementId, MessageStatus status, int attempts, @Schema(nullable = true, description = "When it is tried next; null once it is settled") OffsetDateTime nextAttemptAt,
        @Schema(nullable = true) String lastError, OffsetDateTime createdAt, @Schema(nullable = true) OffsetDateTime settledAt) {
}
