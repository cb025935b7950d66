package io.pointsledger.webhooks;

import io.quarkus.runtime.annotations.RegisterForReflection;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A webhook just created, with its first signing secret (shown here only). */
@RegisterForReflection(serialization = true)
@Schema(description = "A webhook just created, with its first signing secret, shown in this answer only.", example = """
        {"webhook": {"webhookId": "0193a1b2-7c4d-7e5f-8a9b-0c1d2e3f4a5b", "partnerId": "5a1f3e2d-7c4b-4d9a-8e6f-1b2c3d4e5f60",
                     "url": "https://hooks.cardco.example/points", "eventTypes": ["TIER_CHANGED", "TRANSFER_RECORDED"],
                     "description": "Card Co statement feed", "createdAt": "2026-11-29T08:00:00Z",
                     "secrets": [{"secretId": "0193a1b2-7c4d-7e5f-8a9b-0c1d2e3f4a5c", "prefix": "whsec_Xq3vT9",
                                  "createdAt": "2026-11-29T08:00:00Z", "expiresAt": null}]},
         "secret": {"secretId": "0193a1b2-7c4d-7e5f-8a9b-0c1d2e3f4a5c", "webhookId": "0193a1b2-7c4d-7e5f-8a9b-0c1d2e3f4a5b",
                    "secret": "whsec_Xq3vT9aBc2dE4fG6hJ8kL0mN2pQ4rS6tU8vW0xY2zA=", "prefix": "whsec_Xq3vT9",
                    "createdAt": "2026-11-29T08:00:00Z"}}""")
public record CreatedWebhook(Webhook webhook, IssuedWebhookSecret secret) {
}
