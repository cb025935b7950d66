package io.pointsledger.audit;

import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One administrative action: who did what to which target, with which key, and when. */
public record AuditEntry(long sequence, OffsetDateTime occurredAt, String actor,
        @Schema(nullable = true, description = "The API key the actor used; null for the operator's bootstrap key,"
                + " for adjustments and for entries written before keys were recorded")
        UUID apiKeyId,
        AuditAction action, String target, Map<String, Object> details) {
}
