package io.pointsledger.ledger;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * Points for a purchase made before the program, brought over from the system it replaces: the
 * order, its amount (minor units of the program currency), channel (null: not known), products and
 * time, and the points it earns. Validated where it is read (an import's rows).
 */
public record HistoricalEarn(String orderId, long amount, String channel, List<LineItem> items, OffsetDateTime occurredAt,
        long points) implements RequestFingerprint.Fingerprinted {

    public HistoricalEarn {
        items = List.copyOf(items);
    }

    @Override
    public void addFields(RequestFingerprint fingerprint) {
        fingerprint.text("orderId", orderId).number("amount", amount).text("channel", channel)
                .list("items", items.isEmpty() ? null : items).time("occurredAt", occurredAt).number("points", points);
    }
}
