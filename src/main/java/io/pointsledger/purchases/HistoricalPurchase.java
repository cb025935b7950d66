package io.pointsledger.purchases;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * A purchase from before the program, as the system it replaces recorded it: who, which order,
 * when, for how much (minor units of the program currency), where, and its lines with a product.
 *
 * @param channel POS, ONLINE or PARTNER; null when the file does not say
 * @param firstRow the row of the file its first line was on
 */
public record HistoricalPurchase(UUID memberId, String orderId, OffsetDateTime occurredAt, long amount, String channel,
        List<Line> lines, long firstRow) {

    public HistoricalPurchase {
        lines = List.copyOf(lines);
    }

    /** One line with a product; {@code unitPrice} null when the file gave only the line's amount. */
    public record Line(String sku, String category, long quantity, Long unitPrice, long amount) {
    }

    /**
     * The purchase's own id, the same however often it is imported: what tiers and recommendations
     * count it under, in the place of an earn's transfer id. Name-based, in a namespace of its own,
     * so it never equals a transfer's (random) id.
     */
    public UUID purchaseId() {
        return UUID.nameUUIDFromBytes(("purchase-history:" + memberId + ":" + orderId).getBytes(StandardCharsets.UTF_8));
    }

    /** The distinct products bought, in line order. */
    public List<String> skus() {
        return lines.stream().map(Line::sku).distinct().toList();
    }
}
