package io.pointsledger.audit;

import java.time.OffsetDateTime;
import java.util.Map;

/** One administrative action: who did what to which target, and when. */
public record AuditEntry(long sequence, OffsetDateTime occurredAt, String actor, AuditAction action, String target,
        Map<String, Object> details) {
}
