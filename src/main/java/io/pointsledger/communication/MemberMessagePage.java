package io.pointsledger.communication;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A page of messages, newest first. */
@RegisterForReflection(serialization = true)
@Schema(description = "A page of messages, newest first; pass nextCursor as cursor for the next page (null: the last page).",
        example = """
        {"items": [{"messageId": "5b0c1f2e-6a1d-3c4b-9e8f-7a6b5c4d3e2f", "memberId": "3f6c1a2e-8d4b-4f7a-9c1e-2b5d6a7e8f90",
                    "channel": "SMS", "kind": "TIER_CHANGED", "announcementId": null, "status": "PENDING", "attempts": 1,
                    "nextAttemptAt": "2026-11-30T09:00:30Z", "lastError": "provider answered 503",
                    "createdAt": "2026-11-30T09:00:00Z", "settledAt": null}],
         "nextCursor": null}""")
public record MemberMessagePage(List<MemberMessage> items, @Schema(nullable = true) String nextCursor) {
}
