package io.pointsledger.ledger;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * What an earn recorded as bought, as the ledger holds it: the distinct SKUs of its line items (in
 * the order of their first line, which is what a basket cap keeps),
 * the partner that sold them and when. Recommendations count these, never an event's own list.
 */
public record PurchasedItems(UUID transferId, UUID memberId, String partnerId, OffsetDateTime occurredAt, List<String> skus) {

    public PurchasedItems {
        skus = List.copyOf(skus);
    }
}
