package io.pointsledger.webhooks;

import static io.pointsledger.support.LedgerApi.given;
import static io.pointsledger.support.ProblemAssertions.assertProblem;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pointsledger.support.Database;
import io.pointsledger.support.Partners;
import io.pointsledger.support.WebhookReceiver;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
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
 * With private addresses refused, as in production: a webhook whose host comes to name this
 * machine after it was made (a DNS answer changed, here its stored URL) is never called.
 */
@QuarkusTest
@TestProfile(WebhookPrivateAddressTest.PrivateAddressesRefused.class)
class WebhookPrivateAddressTest {

    public static class PrivateAddressesRefused implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("points-ledger.webhooks.allow-private-hosts", "false");
        }
    }

    @Inject
    Pool pool;

    @Inject
    WebhookSubscriptions subscriptions;

    @Test
    void shouldNeverCallAnAddressOfThisMachine() {
        try (WebhookReceiver receiver = WebhookReceiver.start()) {
            Partners.TestPartner partner = Partners.create(100, "earn", "read");
            assertProblem(given().contentType(ContentType.JSON)
                    .body(Map.of("url", receiver.url(), "eventTypes", List.of("TRANSFER_RECORDED")))
                    .post("/v1/admin/partners/{partnerId}/webhooks", partner.partnerId()), 400, "VALIDATION_FAILED", "url");
            String webhookId = given().contentType(ContentType.JSON)
                    .body(Map.of("url", "http://hooks.cardco.example/points", "eventTypes", List.of("TRANSFER_RECORDED")))
                    .post("/v1/admin/partners/{partnerId}/webhooks", partner.partnerId())
                    .then().statusCode(201).extract().path("webhook.webhookId");
            // As if the name now resolved to this machine.
            Database.execute(pool, "UPDATE webhooks SET url = $1 WHERE webhook_id = $2", receiver.url(), UUID.fromString(webhookId));
            String payload = new JsonObject().put("eventType", "TRANSFER_RECORDED").put("transferId", UUID.randomUUID().toString())
                    .put("memberId", UUID.randomUUID().toString()).put("kind", "EARN").put("partnerId", partner.partnerId()).encode();

            subscriptions.consumeLedgerEvents(List.of(payload)).await().atMost(Duration.ofSeconds(10));

            await().atMost(Duration.ofSeconds(30)).until(() -> Database.single(pool,
                    "SELECT attempts FROM webhook_deliveries WHERE webhook_id = $1", UUID.fromString(webhookId)).getInteger(0) >= 2);
            String error = Database.single(pool, "SELECT last_error FROM webhook_deliveries WHERE webhook_id = $1",
                    UUID.fromString(webhookId)).getString(0);
            assertTrue(error.contains("private address"), error);
            assertEquals(0, receiver.received().size(), "the receiver on this machine was never called");
            given().delete("/v1/admin/partners/{partnerId}/webhooks/{webhookId}", partner.partnerId(), webhookId).then().statusCode(204);
        }
    }
}
