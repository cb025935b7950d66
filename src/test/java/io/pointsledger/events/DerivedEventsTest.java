package io.pointsledger.events;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The CAMPAIGN_BONUS published from an earn's row, as docs/events.md describes it, and nothing for other rows. */
class DerivedEventsTest {

    private static final UUID MEMBER = UUID.fromString("8a1e2f3c-4b5d-6e7f-8091-a2b3c4d5e6f7");

    @Test
    void shouldPublishACampaignBonusRightAfterAnEarnThatListsBonuses() {
        // As PostgreSQL gives jsonb back as text: keys reordered, a space after each colon.
        String earn = """
                {"kind": "EARN", "items": [], "points": 37, "account": {"held": 0, "tier": "BASIC", "posted": 37, "version": 1},
                 "bonuses": [{"points": 10, "campaignId": "0193a1b2-7c4d-7e5f-8a9b-0c1d2e3f4a5b", "campaignVersion": 3},
                             {"points": 7, "campaignId": "0193a1b2-7c4d-7e5f-8a9b-0c1d2e3f4a5c", "campaignVersion": 1}],
                 "channel": "POS", "orderId": "o", "memberId": "8a1e2f3c-4b5d-6e7f-8091-a2b3c4d5e6f7", "eventType": "TRANSFER_RECORDED",
                 "partnerId": "operator", "occurredAt": "2026-11-29T08:00:00Z", "recordedAt": "2026-11-29T08:00:01Z",
                 "transferId": "01a22868-bf7b-7ebb-ac09-e77bf9c8533c", "postedDelta": 37, "schemaVersion": 1}""";
        OutboxEvent row = new OutboxEvent(42, UUID.randomUUID(), MEMBER, "TRANSFER_RECORDED", earn, 0);

        List<OutboxEvent> published = DerivedEvents.publishedFrom(row);

        assertEquals(2, published.size());
        assertEquals(row, published.get(0), "the row's own event first");
        OutboxEvent bonus = published.get(1);
        assertEquals(42, bonus.sequence(), "settled with its row");
        assertEquals(MEMBER, bonus.memberId(), "keyed by the same member");
        assertEquals(new JsonObject("""
                {"schemaVersion": 1, "eventType": "CAMPAIGN_BONUS", "transferId": "01a22868-bf7b-7ebb-ac09-e77bf9c8533c",
                 "memberId": "8a1e2f3c-4b5d-6e7f-8091-a2b3c4d5e6f7", "partnerId": "operator", "channel": "POS",
                 "bonusPoints": 17,
                 "bonuses": [{"points": 10, "campaignId": "0193a1b2-7c4d-7e5f-8a9b-0c1d2e3f4a5b", "campaignVersion": 3},
                             {"points": 7, "campaignId": "0193a1b2-7c4d-7e5f-8a9b-0c1d2e3f4a5c", "campaignVersion": 1}],
                 "occurredAt": "2026-11-29T08:00:00Z", "recordedAt": "2026-11-29T08:00:01Z"}"""), new JsonObject(bonus.payload()));
    }

    @Test
    void shouldPublishNothingMoreForAnEarnWithoutBonusesOrAnyOtherEvent() {
        String plain = """
                {"kind": "EARN", "bonuses": [], "eventType": "TRANSFER_RECORDED", "transferId": "t", "memberId": "m"}""";
        OutboxEvent earn = new OutboxEvent(1, UUID.randomUUID(), MEMBER, "TRANSFER_RECORDED", plain, 0);
        OutboxEvent tier = new OutboxEvent(2, UUID.randomUUID(), MEMBER, "TIER_CHANGED",
                "{\"eventType\": \"TIER_CHANGED\", \"campaignId\": \"not a bonus\"}", 0);

        assertEquals(List.of(earn), DerivedEvents.publishedFrom(earn));
        assertEquals(List.of(tier), DerivedEvents.publishedFrom(tier));
    }
}
