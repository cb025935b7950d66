package io.pointsledger.feedback;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A member's answer, once per survey and target, and the transaction of the points it earned. */
@RegisterForReflection(serialization = true)
@Schema(example = """
        {"responseId": "0190f0a4-7b1c-7d3e-9a2b-5c6d7e8f9a0e", "surveyId": "0190f0a4-7b1c-7d3e-9a2b-5c6d7e8f9a0d",
         "memberId": "0b4f8d52-52c8-4c2e-9d4b-8a4f6e1b2c3d", "targetId": "0190f0a4-7b1c-7d3e-9a2b-5c6d7e8f9a0c",
         "store": "GANGNAM-01", "channel": null, "answers": {"overall": 5}, "submittedAt": "2026-11-30T09:00:00Z",
         "rewardTransactionId": "0190f0a4-7b1c-7d3e-9a2b-5c6d7e8f9a0f"}""")
public record SurveyResponse(UUID responseId, UUID surveyId, UUID memberId, UUID targetId, @Schema(nullable = true) String store,
        @Schema(nullable = true) String channel, @Schema(additionalProperties = Object.class) Map<String, Object> answers,
        OffsetDateTime submittedAt,
        @Schema(nullable = true, description = "Null when the survey gives no points") UUID rewardTransactionId) {
}
