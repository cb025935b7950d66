package io.pointsledger.feedback;

import io.pointsledger.platform.ApiLimits;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A survey to open: what it follows, its questions, and the points an answer earns. */
@Schema(example = """
        {"name": "After a fitting", "trigger": "RESERVATION_ATTENDED", "segmentId": null, "rewardPoints": 50, "invites": true,
         "questions": [{"id": "overall", "kind": "RATING", "text": "How was your fitting?", "options": null, "required": true},
                       {"id": "recommend", "kind": "NPS", "text": "Would you recommend us?", "options": null, "required": false},
                       {"id": "comment", "kind": "TEXT", "text": "Anything to tell us?", "options": null, "required": false}]}""")
public record SurveyRequest(
        @NotBlank @Size(max = ApiLimits.NAME_LENGTH_MAX) String name,
        @NotNull SurveyTrigger trigger,
        @Schema(nullable = true, description = "The segment a SEGMENT survey is for; only then") UUID segmentId,
        @NotEmpty @Size(max = 20) List<@NotNull @Valid Question> questions,
        @Schema(nullable = true, description = "Points for answering, once per answer (default 0)")
        @PositiveOrZero @Max(ApiLimits.CAMPAIGN_BONUS_POINTS_MAX) Long rewardPoints,
        @Schema(nullable = true, description = "PURCHASE and RESERVATION_ATTENDED surveys: send the member of each purchase or "
                + "attendance a SURVEY_INVITATION on their preferred channel (default false). A SEGMENT survey's members are "
                + "invited with POST /v1/admin/surveys/{surveyId}/invitations.") Boolean invites) {

    long rewardPointsOrNone() {
        return rewardPoints == null ? 0 : rewardPoints;
    }

    boolean invitesOrNot() {
        return Boolean.TRUE.equals(invites);
    }
}
