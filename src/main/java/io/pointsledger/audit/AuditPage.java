package io.pointsledger.audit;

import java.util.List;

/** Audit entries newest first; {@code nextCursor} is null on the last page. */
public record AuditPage(List<AuditEntry> items, String nextCursor) {
}
