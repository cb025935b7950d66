package io.pointsledger.communication;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** An announcement and how far it got. */
@RegisterForReflection(serialization = true)
@Schema(description = "An announcement and its delivery report. membersPlanned: audience members reached so far by the "
        + "planning; membersUnreachable: of those, members with no consented channel (sent nothing); messagesPlanned: "
        + "messages written. report: messages by channel and status (PENDING, SENT, FAILED, SKIPPED).", example = """
        {"announcementId": "01938f3c-2a4b-7c5d-8e6f-a1b2c3d4e5f6",
         "contents": {"en": {"title": "Double points this weekend", "body": "Every purchase earns double points on Saturday and Sunday."}},
         "defaultLanguage": "en", "audience": {"tiers": ["GOLD"]}, "importance": "NORMAL", "status": "PLANNED",
         "membersPlanned": 3, "membersUnreachable": 1, "messagesPlanned": 2,
         "report": {"EMAIL": {"SENT": 1}, "PUSH": {"PENDING": 1}},
         "createdBy": "admin", "createdAt": "2026-11-30T09:00:00Z", "plannedAt": "2026-11-30T09:00:02Z"}""")
public record Announcement(UUID announcementId, Map<String, AnnouncementContent> contents, String defaultLanguage,
        @Schema(nullable = true) AnnouncementAudience audience, MessageImportance importance, AnnouncementStatus status,
        long membersPlanned, long membersUnreachable, long messagesPlanned,
        @Schema(description = "Messages by channel, then by status; a status with none is left out")
        Map<ContactChannel, Map<MessageStatus, Long>> report,
        String createdBy, OffsetDateTime createdAt, @Schema(nullable = true) OffsetDateTime plannedAt) {

    Announcement withReport(Map<ContactChannel, Map<MessageStatus, Long>> messages) {
        return new Announcement(announcementId, contents, defaultLanguage, audience, importance, status, membersPlanned,
                membersUnreachable, messagesPlanned, messages, createdBy, createdAt, plannedAt);
    }
}
