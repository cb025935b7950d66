package io.pointsledger.webhooks;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.OffsetDateTime;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A new signing secret: in this answer and nowhere else, ever. */
@RegisterForReflection(serialization = true)
@Schema(description = "A new signing secret, shown in this answer only.", example = """
        {"secretId": "0193a1b2-7c4d-7e5f-8a9b-0c1d2e3f4a5c", "webhookId": "0193a1b2-7c4d-7e5f-8a9b-0c1d2e3f4a5b",
         "secret": "whsec_Xq3vT9aBc2dE4fG6hJ8kL0mN2pQ4rS6tU8vW0xY2zA=", "prefix": "whsec_Xq3vT9",
         "createdAt": "2026-11-29T08:00:00Z"}""")
public record IssuedWebhookSecret(String secretId, String webhookId,
        @Schema(description = "whsec_ and the key in base64: verify with the base64-decoded key") String secret,
        String prefix, OffsetDateTime createdAt) {
}
