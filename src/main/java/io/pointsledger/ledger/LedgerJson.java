package io.pointsledger.ledger;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.UUID;

/**
 * The JSON the write path stores: receipts (replayed to retries), transfer metadata and event
 * payloads, written field by field with Jackson's streaming generator, once each, without
 * building maps first.
 */
final class LedgerJson {

    private static final JsonFactory FACTORY = new JsonFactory();
    private static final int EVENT_SCHEMA_VERSION = 1;

    /** Writes one JSON value with the generator it is given. */
    @FunctionalInterface
    interface Body {
        void write(JsonGenerator json) throws IOException;
    }

    private LedgerJson() {
    }

    static String write(Body body) {
        StringWriter text = new StringWriter(256);
        try (JsonGenerator json = FACTORY.createGenerator(text)) {
            body.write(json);
        } catch (IOException e) {
            throw new UncheckedIOException("A StringWriter does not fail", e);
        }
        return text.toString();
    }

    /** The receipt of a transfer (see {@link TransferReceipt}). */
    static String transferReceipt(UUID transactionId, UUID memberId, TransferKind kind, long points, long postedDelta,
            UUID relatedTransactionId, List<PurchaseBonus> bonuses, long posted, long held) {
        return write(json -> {
            json.writeStartObject();
            json.writeStringField("transactionId", transactionId.toString());
            json.writeStringField("memberId", memberId.toString());
            json.writeStringField("kind", kind.name());
            json.writeNumberField("points", points);
            json.writeNumberField("postedDelta", postedDelta);
            writeNullableString(json, "relatedTransactionId", relatedTransactionId == null ? null : relatedTransactionId.toString());
            writeBonuses(json, bonuses);
            writeAccount(json, posted, held);
            json.writeEndObject();
        });
    }

    /** The receipt of a hold, its capture, void or expiry (see holds' HoldView). */
    static String holdReceipt(LedgerState.HoldRow hold, UUID transactionId, long posted, long held) {
        return write(json -> {
            json.writeStartObject();
            json.writeStringField("holdId", hold.holdId().toString());
            json.writeStringField("memberId", hold.memberId().toString());
            json.writeStringField("status", hold.status().name());
            json.writeNumberField("points", hold.points());
            json.writeNumberField("capturedPoints", hold.capturedPoints());
            json.writeStringField("expiresAt", hold.expiresAt().toString());
            writeNullableString(json, "orderId", hold.orderId());
            json.writeStringField("transactionId", transactionId.toString());
            writeAccount(json, posted, held);
            json.writeEndObject();
        });
    }

    private static void writeAccount(JsonGenerator json, long posted, long held) throws IOException {
        json.writeNumberField("available", posted - held);
        json.writeNumberField("posted", posted);
        json.writeNumberField("held", held);
    }

    /**
     * What an earn stores with its transfer: the line items, read by the consumers and reports, and
     * the campaigns' bonuses its points include, each with the campaign version that decided it;
     * for an earn not on a purchase, its occasion ({@code SIGNUP}, {@code COUPON:<code>}…).
     */
    static String earnMetadata(List<LineItem> items, List<PurchaseBonus> bonuses, BonusOccasion occasion) {
        return write(json -> {
            json.writeStartObject();
            writeItems(json, items);
            writeBonuses(json, bonuses);
            if (occasion != null && !occasion.isPurchase()) {
                json.writeStringField("occasion", occasion.key());
            }
            json.writeEndObject();
        });
    }

    private static void writeBonuses(JsonGenerator json, List<PurchaseBonus> bonuses) throws IOException {
        json.writeArrayFieldStart("bonuses");
        for (PurchaseBonus bonus : bonuses) {
            json.writeStartObject();
            json.writeStringField("campaignId", bonus.campaignId().toString());
            json.writeNumberField("campaignVersion", bonus.campaignVersion());
            json.writeNumberField("points", bonus.points());
            json.writeEndObject();
        }
        json.writeEndArray();
    }

    /** The TRANSFER_RECORDED event (docs/events.md), with the account as it stands after the transfer. */
    static String transferRecorded(BatchEffects.TransferRow transfer, List<LineItem> items, List<PurchaseBonus> bonuses,
            String tier, long posted, long held, long version) {
        return write(json -> {
            json.writeStartObject();
            json.writeNumberField("schemaVersion", EVENT_SCHEMA_VERSION);
            json.writeStringField("eventType", "TRANSFER_RECORDED");
            json.writeStringField("transferId", transfer.transferId().toString());
            json.writeStringField("memberId", transfer.memberId().toString());
            json.writeStringField("kind", transfer.kind().name());
            json.writeNumberField("points", transfer.points());
            json.writeNumberField("postedDelta", transfer.postedDelta());
            json.writeNumberField("heldDelta", transfer.heldDelta());
            json.writeStringField("partnerId", transfer.partnerId());
            json.writeStringField("channel", transfer.channel());
            writeNullableString(json, "orderId", transfer.orderId());
            writeNullableString(json, "relatedTransferId",
                    transfer.relatedTransferId() == null ? null : transfer.relatedTransferId().toString());
            if (transfer.amount() == null) {
                json.writeNullField("amount");
            } else {
                json.writeObjectFieldStart("amount");
                json.writeNumberField("value", transfer.amount());
                json.writeStringField("currency", transfer.currency());
                json.writeEndObject();
            }
            writeItems(json, items);
            writeBonuses(json, bonuses);
            json.writeStringField("occurredAt", transfer.occurredAt().toString());
            json.writeStringField("recordedAt", transfer.recordedAt().toString());
            json.writeObjectFieldStart("account");
            json.writeStringField("tier", tier);
            json.writeNumberField("posted", posted);
            json.writeNumberField("held", held);
            json.writeNumberField("version", version);
            json.writeEndObject();
            json.writeEndObject();
        });
    }

    private static void writeItems(JsonGenerator json, List<LineItem> items) throws IOException {
        json.writeArrayFieldStart("items");
        for (LineItem item : items) {
            json.writeStartObject();
            json.writeStringField("sku", item.sku());
            writeNullableString(json, "category", item.category());
            json.writeNumberField("quantity", item.quantity());
            json.writeNumberField("unitPrice", item.unitPrice());
            json.writeEndObject();
        }
        json.writeEndArray();
    }

    private static void writeNullableString(JsonGenerator json, String name, String value) throws IOException {
        if (value == null) {
            json.writeNullField(name);
        } else {
            json.writeStringField(name, value);
        }
    }
}
