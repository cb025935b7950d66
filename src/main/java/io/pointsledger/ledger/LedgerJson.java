package io.pointsledger.ledger;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import io.vertx.core.json.JsonObject;
import java.io.UncheckedIOException;
import java.time.OffsetDateTime;
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

    /** The receipt of a reward claim or its cancellation (see {@link ClaimReceipt}). */
    static String claimReceipt(UUID claimId, UUID memberId, UUID rewardId, String status, long points, UUID transactionId,
            long posted, long held) {
        return write(json -> {
            json.writeStartObject();
            json.writeStringField("claimId", claimId.toString());
            json.writeStringField("memberId", memberId.toString());
            json.writeStringField("rewardId", rewardId.toString());
            json.writeStringField("status", status);
            json.writeNumberField("points", points);
            json.writeStringField("transactionId", transactionId.toString());
            writeAccount(json, posted, held);
            json.writeEndObject();
        });
    }

    /** The receipt of a donation (see {@link DonationReceipt}). */
    static String donationReceipt(UUID transactionId, UUID memberId, UUID causeId, long points, long matchedPoints,
            long posted, long held) {
        return write(json -> {
            json.writeStartObject();
            json.writeStringField("transactionId", transactionId.toString());
            json.writeStringField("memberId", memberId.toString());
            json.writeStringField("causeId", causeId.toString());
            json.writeNumberField("points", points);
            json.writeNumberField("matchedPoints", matchedPoints);
            writeAccount(json, posted, held);
            json.writeEndObject();
        });
    }

    /** A claim's or cancellation's transfer names its reward. */
    static String rewardMetadata(UUID rewardId) {
        return new JsonObject().put("rewardId", rewardId.toString()).encode();
    }

    /** A donation's transfer names its cause and what the program added. */
    static String donationMetadata(UUID causeId, long matchedPoints) {
        return new JsonObject().put("causeId", causeId.toString()).put("matchedPoints", matchedPoints).encode();
    }

    /** The REWARD_CLAIMED event (docs/events.md). */
    static String rewardClaimed(UUID claimId, UUID memberId, LedgerState.RewardRow reward, long points, String partnerId,
            OffsetDateTime claimedAt) {
        return event("REWARD_CLAIMED").put("claimId", claimId.toString()).put("memberId", memberId.toString())
                .put("rewardId", reward.rewardId().toString()).put("rewardKind", reward.kind()).put("rewardName", reward.name())
                .put("points", points).put("partnerId", partnerId)
                .put("startsAt", reward.startsAt() == null ? null : reward.startsAt().toString())
                .put("claimedAt", claimedAt.toString()).encode();
    }

    /** The REWARD_CANCELLED event (docs/events.md). */
    static String rewardCancelled(LedgerState.ClaimRow claim, UUID transferId, String cancelledBy, OffsetDateTime cancelledAt) {
        return event("REWARD_CANCELLED").put("claimId", claim.claimId().toString()).put("memberId", claim.memberId().toString())
                .put("rewardId", claim.rewardId().toString()).put("points", claim.points())
                .put("cancellationTransferId", transferId.toString()).put("partnerId", claim.partnerId())
                .put("cancelledBy", cancelledBy).put("cancelledAt", cancelledAt.toString()).encode();
    }

    /** The POINTS_DONATED event (docs/events.md). */
    static String pointsDonated(UUID transferId, UUID memberId, UUID causeId, long points, long matchedPoints, String partnerId,
            OffsetDateTime donatedAt) {
        return event("POINTS_DONATED").put("transferId", transferId.toString()).put("memberId", memberId.toString())
                .put("causeId", causeId.toString()).put("points", points).put("matchedPoints", matchedPoints)
                .put("partnerId", partnerId).put("donatedAt", donatedAt.toString()).encode();
    }

    private static JsonObject event(String eventType) {
        return new JsonObject().put("schemaVersion", EVENT_SCHEMA_VERSION).put("eventType", eventType);
    }
}
