package io.pointsledger.ledger;

import io.pointsledger.partners.Caller;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * Points for a purchase made before the program, brought over from the system it replaces: the
 * order, its amount (minor units of the program currency), channel (null: not known), products and
 * time, and the points it earns. Validated where it is read (an import's rows).
 */
public record HistoricalEarn(String orderId, long amount, String channel, List<LineItem> items, OffsetDateTime occurredAt,
        long points) implements RequestFingerprint.Fingerprinted {

    /**
     * The operator's keys of earns for purchases from before the program: the ledger writes them
     * under the purchase's own id, and knows them by it (a member's past comes over once: by these
     * earns or by an opening balance, never both).
     */
    static final String KEY_PREFIX = "purchase-history:";

    /** The key of the earn for the purchase {@code purchaseId}: whatever posts it, a repeat replays it. */
    public static String key(UUID purchaseId) {
        return KEY_PREFIX + purchaseId;
    }

    /** Whether a write is the earn of a purchase from before the program. */
    static boolean isHistorical(Posting posting) {
        return posting.kind() == TransferKind.EARN && Caller.OPERATOR_ID.equals(posting.partnerId())
                && posting.idempotencyKey() != null && posting.idempotencyKey().startsWith(KEY_PREFIX);
    }

    public HistoricalEarn {
        items = List.copyOf(items);
    }

    @Override
    public void addFields(RequestFingerprint fingerprint) {
        fingerprint.text("orderId", orderId).number("amount", amount).text("channel", channel)
                .list("items", items.isEmpty() ? null : items).time("occurredAt", occurredAt).number("points", points);
    }
}
