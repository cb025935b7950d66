package io.pointsledger.audit;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Audit entries newest first; {@code nextCursor} is null on the last page. */
@Schema(description = "Audit entries newest first; nextCursor is null on the last page.", example = """
        {"items": [{"sequence": 42, "occurredAt": "2026-11-29T08:00:00Z", "actor": "operator", "apiKeyId": null,
                    "action": "PARTNER_CREATED", "target": "5a1f3e2d-7c4b-4d9a-8e6f-1b2c3d4e5f60",
                    "details": {"name": "Card Co rewards", "scopes": ["earn", "read"], "rateLimitPerSecond": 200}}],
         "nextCursor": null}""")
public record AuditPage(List<AuditEntry> items, @Schema(nullable = true) String nextCursor) {
}
