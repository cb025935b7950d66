package io.pointsledger.feedback;

import io.pointsledger.platform.ApiLimits;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One question of a survey; {@code options} for the choices only. */
@Schema(example = """
        {"id": "overall", "kind": "RATING", "text": "How was your fitting?", "options": null, "required": true}""")
public record Question(
        @NotNull @Pattern(regexp = "^[a-z0-9-]{1,32}$", message = "lower-case letters, digits and -, at most 32") String id,
        @NotNull QuestionKind kind,
        @NotBlank @Size(max = ApiLimits.DESCRIPTION_LENGTH_MAX) String text,
        @Schema(nullable = true) @Size(min = 2, max = 20) List<@NotBlank @Size(max = 100) String> options,
        @Schema(nullable = true, description = "Default false") Boolean required) {

    boolean isRequired() {
        return Boolean.TRUE.equals(required);
    }

    boolean isChoice() {
        return kind == QuestionKind.SINGLE_CHOICE || kind == QuestionKind.MULTIPLE_CHOICE;
    }
}
