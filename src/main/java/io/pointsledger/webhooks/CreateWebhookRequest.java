package io.pointsledger.webhooks;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A URL of the partner's and the events it wants there. */
@Schema(example = """
        {"url": "https://hooks.cardco.example/points", "eventTypes": ["TRANSFER_RECORDED", "TIER_CHANGED"],
         "description": "Card Co statement feed"}""")
public record CreateWebhookRequest(
        @Schema(description = "https:// (http:// only where the service allows it), no user name or password, no fragment; "
                + "not this machine or a private network unless the service allows it", maxLength = URL_LENGTH_MAX)
        @NotBlank @Size(max = URL_LENGTH_MAX) String url,
        @NotEmpty Set<@NotNull WebhookEventType> eventTypes,
        @Schema(nullable = true, maxLength = DESCRIPTION_LENGTH_MAX) @Size(max = DESCRIPTION_LENGTH_MAX) String description) {

    public static final int URL_LENGTH_MAX = 2048;
    public static final int DESCRIPTION_LENGTH_MAX = 200;
}
