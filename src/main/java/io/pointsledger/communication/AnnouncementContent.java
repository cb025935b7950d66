package io.pointsledger.communication;

import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** An announcement in one language. */
@RegisterForReflection(serialization = true)
@Schema(description = "An announcement in one language: a title (an email's subject, a push's title) and a body of one "
        + "paragraph (an SMS carries both, so keep it short for SMS members).", example = """
        {"title": "Double points this weekend", "body": "Every purchase earns double points on Saturday and Sunday."}""")
public record AnnouncementContent(
        @Schema(maxLength = TITLE_LENGTH_MAX) @NotBlank @Size(max = TITLE_LENGTH_MAX) String title,
        @Schema(maxLength = BODY_LENGTH_MAX) @NotBlank @Size(max = BODY_LENGTH_MAX) String body) {

    public static final int TITLE_LENGTH_MAX = 100;
    public static final int BODY_LENGTH_MAX = 2000;
}
