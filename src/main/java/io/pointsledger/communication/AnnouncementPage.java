package io.pointsledger.communication;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A page of announcements, newest first, without their reports (read one for its report). */
@RegisterForReflection(serialization = true)
@Schema(description = "A page of announcements, newest first; report is empty here (read one announcement for it). Pass "
        + "nextCursor as cursor for the next page (null: the last page).", example = """
        {"items": [{"announcementId": "01938f3c-2a4b-7c5d-8e6f-a1b2c3d4e5f6",
                    "contents": {"en": {"title": "Double points this weekend", "body": "Every purchase earns double points."}},
                    "defaultLanguage": "en", "audience": null, "importance": "IMPORTANT", "status": "PLANNING",
                    "membersPlanned": 1000, "membersUnreachable": 12, "messagesPlanned": 1976, "report": {},
                    "createdBy": "admin", "createdAt": "2026-11-30T09:00:00Z", "plannedAt": null}],
         "nextCursor": null}""")
public record AnnouncementPage(List<Announcement> items, @Schema(nullable = true) String nextCursor) {
}
