package io.pointsledger.webhooks;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.OffsetDateTime;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A partner's webhook and its signing secrets (their ids and prefixes, never the secrets). */
@RegisterForReflection(serialization = true)
@Schema(description = "A partner's webhook and its signing secrets (ids and prefixes only).", example = """
        {"webhookId": "0193a1b2-7c4d-7e5f-8a9b-0c1d2e3f4a5b", "partnerId": "5a1f3e2d-7c4b-4d9a-8e6f-1b2c3d4e5f60",
         "url": "https://hooks.cardco.example/points", "eventTypes": ["TIER_CHANGED", "TRANSFER_RECORDED"],
         "description": "Card Co statement feed", "createdAt": "2026-11-29T08:00:00Z",
         "secrets": [{"secretId": "0193a1b2-7c4d-7e5f-8a9b-0c1d2e3f4a5c", "prefix": "whsec_Xq3vT9",
                      "createdAt": "2026-11-29T08:00:00Z", "expiresAt": null}]}""")
public record Webhook(String webhookId, String partnerId, String url, List<WebhookEventType> eventTypes,
        @Schema(nullable = true) String description, OffsetDateTime createdAt, List<SecretView> secrets) {

    /** A signing secret as listed: what tells it apart, when it stops signing. */
    @RegisterForReflection(serialization = true)
    public record SecretView(String secretId, String prefix, OffsetDateTime createdAt,
            @Schema(nullable = true, description = "When it stops signing; null while it is the current one")
            OffsetDateTime expiresAt) {
    }
}
