package io.pointsledger.ledger;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One page of history, newest first; {@code nextCursor} is null on the last page. */
@Schema(description = "One page of history, newest first; nextCursor is null on the last page.", example = """
        {"items": [{"transactionId": "0b7e3c52-61f1-4a8e-9d0c-5e2f7a1b3c4d", "kind": "EARN", "points": 125, "postedDelta": 125,
                   "heldDelta": 0, "channel": "POS", "orderId": "pos-7-20261129-0042", "relatedTransactionId": null,
                   "amount": {"value": 12500, "currency": "USD"}, "occurredAt": "2026-11-29T09:20:00Z",
                   "recordedAt": "2026-11-29T09:20:00.125Z"}],
         "nextCursor": "dHJhbnNmZXJzOjQy"}""")
public record TransferPage(List<TransferView> items, @Schema(nullable = true) String nextCursor) {
}
