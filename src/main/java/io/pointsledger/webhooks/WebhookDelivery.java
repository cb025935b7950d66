package io.pointsledger.webhooks;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.OffsetDateTime;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One event for one webhook, and how its attempts went. */
@RegisterForReflection(serialization = true)
@Schema(description = "One event for one webhook, and how its attempts went.", example = """
        {"deliveryId": "0193a1b2-7c4d-7e5f-8a9b-0c1d2e3f4a5d", "webhookId": "0193a1b2-7c4d-7e5f-8a9b-0c1d2e3f4a5b",
         "eventId": "6f1c2d3e-4a5b-3c6d-8e7f-9a0b1c2d3e4f", "eventType": "TRANSFER_RECORDED", "status": "PENDING",
         "attempts": 3, "nextAttemptAt": "2026-11-29T08:01:10Z", "retryUntil": "2026-11-30T08:00:00Z",
         "lastAttemptAt": "2026-11-29T08:00:30Z", "lastStatusCode": 503, "lastError": "answered 503",
         "createdAt": "2026-11-29T08:00:00Z", "deliveredAt": null}""")
public record WebhookDelivery(String deliveryId, String webhookId,
        @Schema(description = "The same for every webhook the event goes to, and for every delivery of it again") String eventId,
        WebhookEventType eventType, WebhookDeliveryStatus status, int attempts,
        @Schema(nullable = true, description = "When it is tried next; null unless PENDING") OffsetDateTime nextAttemptAt,
        OffsetDateTime retryUntil,
        @Schema(nullable = true) OffsetDateTime lastAttemptAt,
        @Schema(nullable = true, description = "The receiver's HTTP status, null when it did not answer") Integer lastStatusCode,
        @Schema(nullable = true) String lastError,
        OffsetDateTime createdAt,
        @Schema(nullable = true) OffsetDateTime deliveredAt) {
}
