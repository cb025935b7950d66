package io.pointsledger.feedback;

import io.pointsledger.communication.AnnouncementContent;
import io.pointsledger.communication.AnnouncementRequest;
import io.pointsledger.communication.MessageImportance;
import io.pointsledger.platform.ApiLimits;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The invitation to a segment's survey: the operator's own words, or the program's when left out. */
@Schema(description = "contents and defaultLanguage as in an announcement, both or neither: left out, the invitation says "
        + "\"Your opinion, please: <survey name>\" and the points an answer earns, in English and Korean.", example = """
        {"contents": {"en": {"title": "Two minutes for us?", "body": "Answer our autumn survey in the app and earn 100 points."}},
         "defaultLanguage": "en", "importance": "NORMAL"}""")
public record SurveyInvitationRequest(
        @Schema(nullable = true) @Size(min = 1, max = AnnouncementRequest.LANGUAGES_MAX)
        Map<String, @NotNull @Valid AnnouncementContent> contents,
        @Schema(nullable = true) @Pattern(regexp = ApiLimits.LANGUAGE_PATTERN, message = "must be a BCP 47 language such as ko, en or en-GB")
        String defaultLanguage,
        @Schema(nullable = true, description = "NORMAL when left out") MessageImportance importance) {
}
