package io.pointsledger.webhooks;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A page of a webhook's deliveries, newest first. */
@RegisterForReflection(serialization = true)
@Schema(description = "A webhook's deliveries, newest first; nextCursor is null on the last page.", example = """
        {"items": [{"deliveryId": "0193a1b2-7c4d-7e5f-8a9b-0c1d2e3f4a5d", "webhookId": "0193a1b2-7c4d-7e5f-8a9b-0c1d2e3f4a5b",
                    "eventId": "6f1c2d3e-4a5b-3c6d-8e7f-9a0b1c2d3e4f", "eventType": "TRANSFER_RECORDED", "status": "DELIVERED",
                    "attempts": 1, "nextAttemptAt": null, "retryUntil": "2026-11-30T08:00:00Z",
                    "lastAttemptAt": "2026-11-29T08:00:01Z", "lastStatusCode": 200, "lastError": null,
                    "createdAt": "2026-11-29T08:00:00Z", "deliveredAt": "2026-11-29T08:00:01Z"}],
         "nextCursor": null}""")
public record WebhookDeliveryPage(List<WebhookDelivery> items,
        @Schema(nullable = true, description = "Pass as cursor for the next page; null on the last") String nextCursor) {
}
