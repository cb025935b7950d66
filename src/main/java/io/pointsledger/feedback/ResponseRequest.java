package io.pointsledger.feedback;

import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A member's answer to a survey about one target: a purchase's transactionId, an attended
 * reservation's reservationId, or none for a survey sent to a segment. {@code answers} by question
 * id: a whole number for RATING and NPS, an option for SINGLE_CHOICE, a list of options for
 * MULTIPLE_CHOICE, text for TEXT.
 */
@Schema(example = """
        {"surveyId": "0190f0a4-7b1c-7d3e-9a2b-5c6d7e8f9a0d", "targetId": "0190f0a4-7b1c-7d3e-9a2b-5c6d7e8f9a0c",
         "answers": {"overall": 5, "recommend": 9, "comment": "The tailor was great"}}""")
public record ResponseRequest(
        @NotNull UUID surveyId,
        @Schema(nullable = true) UUID targetId,
        @NotEmpty @Size(max = 20) @Schema(additionalProperties = Object.class) Map<String, Object> answers) {
}
