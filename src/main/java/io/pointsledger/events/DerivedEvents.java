package io.pointsledger.events;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Events published from another event's outbox row rather than a row of their own: an earn that
 * campaigns added to writes one row, its TRANSFER_RECORDED (which lists the bonuses), and the
 * relay publishes its CAMPAIGN_BONUS right after it, from the same row. The bonus event is as
 * durable as the earn's (the row is deleted only once both were acknowledged) and costs the earn
 * no second row: at twenty active campaigns, a second row per earn was a tenth of its throughput.
 */
final class DerivedEvents {

    static final String TRANSFER_RECORDED = "TRANSFER_RECORDED";
    static final String CAMPAIGN_BONUS = "CAMPAIGN_BONUS";
    private static final int SCHEMA_VERSION = 1;

    private DerivedEvents() {
    }

    /** The row's own event, then those derived from it, in the order they are to be published. */
    static List<OutboxEvent> publishedFrom(OutboxEvent row) {
        if (!TRANSFER_RECORDED.equals(row.eventType()) || !row.payload().contains("\"campaignId\"")) {
            return List.of(row);
        }
        JsonObject transfer = new JsonObject(row.payload());
        JsonArray bonuses = transfer.getJsonArray("bonuses");
        if (bonuses == null || bonuses.isEmpty()) {
            return List.of(row);
        }
        return List.of(row, new OutboxEvent(row.sequence(), row.eventId(), row.memberId(), CAMPAIGN_BONUS,
                campaignBonus(transfer, bonuses).encode(), row.refusals()));
    }

    /** CAMPAIGN_BONUS, schema version 1 (docs/events.md). */
    private static JsonObject campaignBonus(JsonObject transfer, JsonArray bonuses) {
        long bonusPoints = 0;
        for (int index = 0; index < bonuses.size(); index++) {
            bonusPoints += bonuses.getJsonObject(index).getLong("points");
        }
        return new JsonObject()
                .put("schemaVersion", SCHEMA_VERSION)
                .put("eventType", CAMPAIGN_BONUS)
                .put("transferId", transfer.getString("transferId"))
                .put("memberId", transfer.getString("memberId"))
                .put("partnerId", transfer.getString("partnerId"))
                .put("channel", transfer.getString("channel"))
                .put("bonusPoints", bonusPoints)
                .put("bonuses", bonuses)
                .put("occurredAt", transfer.getString("occurredAt"))
                .put("recordedAt", transfer.getString("recordedAt"));
    }
}
