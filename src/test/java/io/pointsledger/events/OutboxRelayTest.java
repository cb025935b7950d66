package io.pointsledger.events;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pointsledger.support.Database;
import io.pointsledger.support.EarnBurst;
import io.pointsledger.support.LedgerApi;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Events are committed with their transfer and published later, from the table: an event not yet
 * published when the process stops is still there for the next relay run.
 */
@QuarkusTest
@TestProfile(OutboxRelayTest.RelayByHand.class)
class OutboxRelayTest {

    /** The scheduled relay stays idle so that the test decides when publishing happens. */
    public static class RelayByHand implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("points-ledger.events.relay-interval", "PT1H");
        }
    }

    @Inject
    OutboxRelay relay;

    @Inject
    Pool pool;

    @Inject
    io.pointsledger.ledger.LedgerService ledger;

    @Test
    void shouldKeepCommittedEventsUntilPublishedThenDeliverThemOnce() {
        UUID memberId = LedgerApi.enroll();
        assertEquals("MEMBER_ENROLLED", Database.single(pool, "SELECT event_type FROM outbox WHERE member_id = $1",
                memberId).getString(0), "committed with the member, unpublished");
        drain();
        LedgerApi.earnForAmount(memberId, "outbox-" + memberId, 350_000).then().statusCode(201);

        assertEquals(1, Database.single(pool, "SELECT count(*) FROM outbox WHERE member_id = $1", memberId).getLong(0),
                "committed with the transfer, unpublished");
        assertEquals("BASIC", tier(memberId), "nothing consumed before publishing");

        drain();

        assertEquals(0, Database.single(pool, "SELECT count(*) FROM outbox WHERE member_id = $1", memberId).getLong(0));
        assertEquals("SILVER", tier(memberId), "published, consumed and acknowledged before the row went");
    }

    @Test
    void shouldAnnounceExpiringPointsOncePerLot() {
        drain();
        UUID memberId = LedgerApi.enroll();
        LedgerApi.earn(memberId, "expiring-" + memberId, Map.of("orderId", "o", "channel", "POS",
                "amount", Map.of("value", 10_000, "currency", "USD"),
                "occurredAt", java.time.OffsetDateTime.now().minusDays(350).toString())).then().statusCode(201);
        drain();

        ledger.notifyExpiringPoints(10_000, 30).await().atMost(Duration.ofSeconds(30));
        ledger.notifyExpiringPoints(10_000, 30).await().atMost(Duration.ofSeconds(30));

        var notice = Database.single(pool, """
                SELECT count(*) AS notices, min(payload ->> 'eventType') AS type, min((payload ->> 'points')::bigint) AS points
                  FROM outbox WHERE member_id = $1""", memberId);
        assertEquals(1, notice.getLong("notices"), "once per lot, however often the scan runs");
        assertEquals("POINTS_EXPIRING", notice.getString("type"));
        assertEquals(100, notice.getLong("points"));
        drain();
    }

    /**
     * An earn a campaign added to writes one outbox row, its TRANSFER_RECORDED listing the bonus;
     * the CAMPAIGN_BONUS published from that row (DerivedEventsTest) reaches the ledger's own
     * consumers, which act on transfers by kind and pass it by.
     */
    @Test
    void shouldWriteOneRowForAnEarnWithABonusAndHaveEveryConsumerPassItsBonusEventBy() {
        drain();
        String sku = "SKU-EVENT-" + UUID.randomUUID();
        String campaignId = LedgerApi.given().contentType(ContentType.JSON)
                .body(Map.of("name", "seven more", "trigger", "PURCHASE", "priority", 1,
                        "conditions", Map.of("skus", List.of(sku)), "effect", Map.of("bonusPoints", 7)))
                .post("/v1/admin/campaigns").then().statusCode(201).extract().path("campaignId");
        LedgerApi.given().post("/v1/admin/campaigns/{id}/activate", campaignId).then().statusCode(200);
        try {
            UUID memberId = LedgerApi.enroll();
            drain();
            String transferId = LedgerApi.earn(memberId, "bonus-event-" + memberId, Map.of("orderId", "o", "channel", "POS",
                            "amount", Map.of("value", 1_000, "currency", "USD"),
                            "items", List.of(Map.of("sku", sku, "quantity", 1, "unitPrice", 1_000))))
                    .then().statusCode(201).extract().path("transactionId");

            var row = Database.single(pool, "SELECT event_type, payload::text FROM outbox WHERE member_id = $1", memberId);
            assertEquals("TRANSFER_RECORDED", row.getString(0), "one row for the earn and its bonus");
            JsonObject payload = new JsonObject(row.getString(1));
            assertEquals(transferId, payload.getString("transferId"));
            assertEquals(campaignId, payload.getJsonArray("bonuses").getJsonObject(0).getString("campaignId"));

            drain();
            assertEquals(0, Database.single(pool, "SELECT count(*) FROM dead_letters WHERE member_id = $1", memberId)
                    .getLong(0), "no consumer took the bonus event for a transfer");
            assertEquals(0, Database.single(pool, "SELECT count(*) FROM outbox WHERE member_id = $1", memberId).getLong(0));
        } finally {
            LedgerApi.given().post("/v1/admin/campaigns/{id}/end", campaignId).then().statusCode(200);
        }
    }

    @Test
    void shouldShowUnpublishedEventsInTheLagGaugeWithinSecondsWhileTheRelayIsIdle() {
        drain();
        UUID memberId = LedgerApi.enroll();
        LedgerApi.earnForAmount(memberId, "lag-" + memberId, 10_000).then().statusCode(201);

        // The relay does not run (interval one hour): only the gauge's own measurement can see the event.
        await().atMost(Duration.ofSeconds(5)).until(() -> EarnBurst.lagGauge() >= 1);
        String metrics = RestAssured.given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(metrics.contains("ledger_events_lag_measurement_age_seconds"), "the measurement's age is exported");

        drain();
        await().atMost(Duration.ofSeconds(5)).until(() -> EarnBurst.lagGauge() == 0);
    }

    @Test
    void shouldHandTheLeaseOverAtShutdownAndNeverClaimItAgain() {
        drain();
        assertTrue(relayHoldsLease(), "a batch claims the lease");
        try {
            relay.stop(null);
            assertEquals("nobody", leaseHolder(), "released at shutdown");

            assertEquals(0, relay.publishBatch().await().atMost(Duration.ofSeconds(30)),
                    "a batch after shutdown (a run still going) publishes nothing");
            assertEquals("nobody", leaseHolder(), "and does not take the lease back from the instance taking over");
        } finally {
            relay.start(null);
        }
        drain();
        assertTrue(relayHoldsLease(), "restarted, the relay claims the lease again");
    }

    private boolean relayHoldsLease() {
        return leaseHolder().startsWith("relay-");
    }

    private String leaseHolder() {
        return Database.single(pool, "SELECT holder FROM outbox_relay_lease WHERE id = 1").getString(0);
    }

    private void drain() {
        for (int batch = 0; batch < 100 && relay.publishBatch().await().atMost(Duration.ofSeconds(30)) > 0; batch++) {
            // Publishes batch after batch until the outbox is empty (bounded).
        }
    }

    private static String tier(UUID memberId) {
        return LedgerApi.given().get("/v1/members/{memberId}/tier", memberId).then().statusCode(200).extract().path("tier");
    }
}
