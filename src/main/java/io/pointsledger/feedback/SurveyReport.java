package io.pointsledger.feedback;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A survey's answers over a period, for a store, a channel or a segment when asked: how many
 * answered, out of how many could (the purchases, attended reservations or segment members the
 * survey follows in the period), and each question's figures.
 */
@Schema(example = """
        {"surveyId": "0190f0a4-7b1c-7d3e-9a2b-5c6d7e8f9a0d", "from": "2026-11-01T00:00:00Z", "to": "2026-12-01T00:00:00Z",
         "store": null, "channel": null, "segmentId": null, "responses": 120, "eligible": 400,
         "responseRate": {"value": 0.3, "low": 0.257, "high": 0.347}, "questions": []}""")
public record SurveyReport(UUID surveyId, OffsetDateTime from, OffsetDateTime to, @Schema(nullable = true) String store,
        @Schema(nullable = true) String channel, @Schema(nullable = true) UUID segmentId, long responses,
        @Schema(nullable = true, description = "Targets in the period; null when a segment's members are asked of a survey "
                + "that follows purchases or reservations, or a store or channel of a segment's survey") Long eligible,
        @Schema(nullable = true) Estimate responseRate, List<QuestionReport> questions) {
}
