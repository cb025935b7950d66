package io.pointsledger.feedback;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A survey: its questions, what it follows, and the points an answer earns. */
@Schema(example = """
        {"surveyId": "0190f0a4-7b1c-7d3e-9a2b-5c6d7e8f9a0d", "name": "After a fitting", "trigger": "RESERVATION_ATTENDED",
         "segmentId": null, "rewardPoints": 50, "invites": true, "status": "ACTIVE", "createdAt": "2026-11-30T09:00:00Z",
         "questions": [{"id": "overall", "kind": "RATING", "text": "How was your fitting?", "options": null, "required": true}]}""")
public record Survey(UUID surveyId, String name, SurveyTrigger trigger, @Schema(nullable = true) UUID segmentId, List<Question> questions,
        long rewardPoints,
        @Schema(description = "Whether each purchase or attendance it follows sends its member a SURVEY_INVITATION") boolean invites,
        SurveyStatus status, OffsetDateTime createdAt) {
}
