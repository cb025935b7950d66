package io.pointsledger.webhooks;

import static io.pointsledger.support.LedgerApi.given;
import static io.pointsledger.support.ProblemAssertions.assertProblem;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pointsledger.support.Concurrently;
import io.pointsledger.support.Database;
import io.pointsledger.support.LedgerApi;
import io.pointsledger.support.Partners;
import io.pointsledger.support.WebhookReceiver;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Webhooks against a real HTTP receiver on this machine: what is sent, how it is signed, how a
 * failing receiver is retried, dead-lettered and replayed, and that a receiver never holds back
 * the event stream. Signatures are verified here the way a receiver would, by the Standard
 * Webhooks rule, not by the service's own code.
 */
@QuarkusTest
class WebhookDeliveryTest {

    private static final Duration DEADLINE = Duration.ofSeconds(30);

    @Inject
    Pool pool;

    @Inject
    WebhookSubscriptions subscriptions;

    private final List<WebhookReceiver> receivers = new ArrayList<>();
    private final List<String[]> webhooks = new ArrayList<>();

    @AfterEach
    void deleteWebhooksAndStopReceivers() {
        // A deleted webhook's deliveries go with it: none keeps retrying into the next test.
        webhooks.forEach(webhook -> given().delete("/v1/admin/partners/{partnerId}/webhooks/{webhookId}", webhook[0], webhook[1]));
        receivers.forEach(WebhookReceiver::close);
    }

    private WebhookReceiver receiver() {
        WebhookReceiver receiver = WebhookReceiver.start();
        receivers.add(receiver);
        return receiver;
    }

    private JsonPath createWebhook(String partnerId, String url, String... eventTypes) {
        JsonPath created = given().contentType(ContentType.JSON)
                .body(Map.of("url", url, "eventTypes", List.of(eventTypes), "description", "test receiver"))
                .post("/v1/admin/partners/{partnerId}/webhooks", partnerId)
                .then().statusCode(201).extract().jsonPath();
        webhooks.add(new String[] {partnerId, created.getString("webhook.webhookId")});
        return created;
    }

    private static Partners.TestPartner earningPartner() {
        return Partners.create(1000, "earn", "earn:manual", "read");
    }

    private static String earn(Partners.TestPartner partner, UUID memberId) {
        return LedgerApi.earnPointsAs(partner.apiKey(), memberId, UUID.randomUUID().toString(), 10)
                .then().statusCode(201).extract().path("transactionId");
    }

    private static List<WebhookReceiver.Received> carrying(WebhookReceiver receiver, String text) {
        return receiver.received().stream().filter(request -> request.body().contains(text)).toList();
    }

    /** The receiver's check, by the Standard Webhooks rule: one of the v1 signatures is the HMAC of id.timestamp.body. */
    private static boolean verifies(WebhookReceiver.Received request, String secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
            String signed = request.header("webhook-id") + "." + request.header("webhook-timestamp") + "." + request.body();
            String expected = "v1," + Base64.getEncoder().encodeToString(mac.doFinal(signed.getBytes(StandardCharsets.UTF_8)));
            return Arrays.asList(request.header("webhook-signature").split(" ")).contains(expected);
        } catch (java.security.GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    private static JsonPath deliveries(String partnerId, String webhookId, String status) {
        return given().queryParam("status", status)
                .get("/v1/admin/partners/{partnerId}/webhooks/{webhookId}/deliveries", partnerId, webhookId)
                .then().statusCode(200).extract().jsonPath();
    }

    @Test
    void shouldPostThePartnersOwnTransferSignedWithTheSecretShownOnce() {
        WebhookReceiver receiver = receiver();
        Partners.TestPartner partner = earningPartner();
        JsonPath created = createWebhook(partner.partnerId(), receiver.url(), "TRANSFER_RECORDED");
        String secret = created.getString("secret.secret");
        String webhookId = created.getString("webhook.webhookId");

        String transactionId = earn(partner, LedgerApi.enroll());

        await().atMost(DEADLINE).until(() -> !carrying(receiver, transactionId).isEmpty());
        WebhookReceiver.Received request = carrying(receiver, transactionId).get(0);
        assertTrue(verifies(request, secret), "signed with the secret given at creation");
        assertFalse(verifies(request, secret.replace(secret.charAt(10), secret.charAt(10) == 'A' ? 'B' : 'A')),
                "a changed secret does not verify");
        JsonObject event = new JsonObject(request.body());
        assertEquals("TRANSFER_RECORDED", event.getString("eventType"));
        assertEquals(partner.partnerId(), event.getString("partnerId"));
        assertEquals("TRANSFER_RECORDED", request.header("points-ledger-event-type"));
        assertEquals("application/json", request.header("content-type"));
        long sentAt = Long.parseLong(request.header("webhook-timestamp"));
        assertTrue(Math.abs(sentAt - System.currentTimeMillis() / 1000) < 60, "the timestamp is the time of sending");
        await().atMost(DEADLINE).until(() -> deliveries(partner.partnerId(), webhookId, "DELIVERED").getList("items").size() == 1);
        assertEquals(request.header("webhook-id"), deliveries(partner.partnerId(), webhookId, "DELIVERED").getString("items[0].deliveryId"));

        // The secret is shown once: not in the webhook as read back, not in the audit log, not stored in clear.
        String readBack = given().get("/v1/admin/partners/{partnerId}/webhooks/{webhookId}", partner.partnerId(), webhookId)
                .then().statusCode(200).extract().asString();
        assertFalse(readBack.contains(secret));
        assertEquals(0L, Database.single(pool, "SELECT count(*) FROM audit_log WHERE details::text LIKE $1",
                "%" + secret.substring(6) + "%").getLong(0));
        assertEquals(0L, Database.single(pool, "SELECT count(*) FROM webhook_secrets WHERE ciphertext LIKE $1",
                "%" + secret.substring(6) + "%").getLong(0));
        assertEquals(1L, Database.single(pool, "SELECT count(*) FROM audit_log WHERE action = 'WEBHOOK_CREATED' AND details->>'webhookId' = $1",
                webhookId).getLong(0));
    }

    @Test
    void shouldDeliverOnceToAReceiverThatFailsFiveTimesThenSucceeds() {
        WebhookReceiver receiver = receiver().answering(number -> number <= 5 ? 503 : 200);
        Partners.TestPartner partner = earningPartner();
        String webhookId = createWebhook(partner.partnerId(), receiver.url(), "TRANSFER_RECORDED").getString("webhook.webhookId");

        String transactionId = earn(partner, LedgerApi.enroll());

        await().atMost(DEADLINE).until(() -> deliveries(partner.partnerId(), webhookId, "DELIVERED").getList("items").size() == 1);
        List<WebhookReceiver.Received> attempts = carrying(receiver, transactionId);
        assertEquals(6, attempts.size(), "five refusals, then the one that was taken");
        assertEquals(1, attempts.stream().filter(attempt -> attempt.answeredWith() == 200).count(), "taken once");
        assertEquals(1, attempts.stream().map(attempt -> attempt.header("webhook-id")).distinct().count(),
                "every attempt carries the same webhook-id");
        JsonPath delivered = deliveries(partner.partnerId(), webhookId, "DELIVERED");
        assertEquals(6, delivered.getInt("items[0].attempts"));
        assertEquals(200, delivered.getInt("items[0].lastStatusCode"));
        // Nothing more is sent once it was taken.
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> carrying(receiver, transactionId).size() == 6);
    }

    @Test
    void shouldMakeOneDeliveryOfAnEventTheBrokerDeliversTwice() {
        WebhookReceiver receiver = receiver();
        Partners.TestPartner partner = earningPartner();
        String webhookId = createWebhook(partner.partnerId(), receiver.url(), "TRANSFER_RECORDED").getString("webhook.webhookId");
        String transferId = UUID.randomUUID().toString();
        String payload = new JsonObject().put("schemaVersion", 1).put("eventType", "TRANSFER_RECORDED").put("transferId", transferId)
                .put("memberId", UUID.randomUUID().toString()).put("kind", "EARN").put("points", 5)
                .put("partnerId", partner.partnerId()).encode();

        subscriptions.consumeLedgerEvents(List.of(payload)).await().atMost(DEADLINE);
        subscriptions.consumeLedgerEvents(List.of(payload, payload)).await().atMost(DEADLINE);

        await().atMost(DEADLINE).until(() -> deliveries(partner.partnerId(), webhookId, "DELIVERED").getList("items").size() == 1);
        assertEquals(1L, Database.single(pool, "SELECT count(*) FROM webhook_deliveries WHERE webhook_id = $1",
                UUID.fromString(webhookId)).getLong(0));
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> carrying(receiver, transferId).size() == 1);
    }

    @Test
    void shouldSendAPartnersEventsToThatPartnerAlone() {
        WebhookReceiver mine = receiver();
        WebhookReceiver theirs = receiver();
        Partners.TestPartner partner = earningPartner();
        Partners.TestPartner other = earningPartner();
        String myWebhook = createWebhook(partner.partnerId(), mine.url(), "TRANSFER_RECORDED").getString("webhook.webhookId");
        String theirWebhook = createWebhook(other.partnerId(), theirs.url(), "TRANSFER_RECORDED").getString("webhook.webhookId");

        String transactionId = earn(partner, LedgerApi.enroll());

        await().atMost(DEADLINE).until(() -> deliveries(partner.partnerId(), myWebhook, "DELIVERED").getList("items").size() == 1);
        // The consumer wrote every delivery of the event in one statement: none for the other partner.
        assertEquals(0, deliveries(other.partnerId(), theirWebhook, null).getList("items").size());
        assertTrue(carrying(theirs, transactionId).isEmpty());
    }

    @Test
    void shouldSendMembersEventsOnlyToAPartnerThatMayReadMembers() {
        WebhookReceiver receiver = receiver();
        Partners.TestPartner reader = earningPartner();
        createWebhook(reader.partnerId(), receiver.url(), "MEMBER_ENROLLED");
        Partners.TestPartner earnOnly = Partners.create(100, "earn");

        assertProblem(given().contentType(ContentType.JSON)
                .body(Map.of("url", receiver.url(), "eventTypes", List.of("TRANSFER_RECORDED", "TIER_CHANGED")))
                .post("/v1/admin/partners/{partnerId}/webhooks", earnOnly.partnerId()), 400, "VALIDATION_FAILED", "eventTypes");
        assertEquals(0L, Database.single(pool, "SELECT count(*) FROM webhooks WHERE partner_id = $1", earnOnly.partnerId()).getLong(0));

        UUID memberId = LedgerApi.enroll();
        await().atMost(DEADLINE).until(() -> !carrying(receiver, memberId.toString()).isEmpty());
        assertEquals("MEMBER_ENROLLED", new JsonObject(carrying(receiver, memberId.toString()).get(0).body()).getString("eventType"));
    }

    @Test
    void shouldDeadLetterPastTheRetryWindowAndReplayFromThere() {
        WebhookReceiver receiver = receiver().answering(number -> 500);
        Partners.TestPartner partner = earningPartner();
        String webhookId = createWebhook(partner.partnerId(), receiver.url(), "TRANSFER_RECORDED").getString("webhook.webhookId");
        OffsetDateTime before = OffsetDateTime.now().minusMinutes(1);
        String transactionId = earn(partner, LedgerApi.enroll());
        await().atMost(DEADLINE).until(() -> carrying(receiver, transactionId).size() >= 2);

        // The window of 24 hours, run out: the next failure is the last.
        Database.execute(pool, "UPDATE webhook_deliveries SET retry_until = now() WHERE webhook_id = $1", UUID.fromString(webhookId));
        await().atMost(DEADLINE).until(() -> deliveries(partner.partnerId(), webhookId, "DEAD").getList("items").size() == 1);
        int attemptsWhenDead = carrying(receiver, transactionId).size();
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2))
                .until(() -> carrying(receiver, transactionId).size() == attemptsWhenDead);
        assertEquals(500, deliveries(partner.partnerId(), webhookId, "DEAD").getInt("items[0].lastStatusCode"));

        receiver.answering(number -> 200);
        JsonPath replayed = given().contentType(ContentType.JSON).body(Map.of("since", before.toString()))
                .post("/v1/admin/partners/{partnerId}/webhooks/{webhookId}/replay", partner.partnerId(), webhookId)
                .then().statusCode(202).extract().jsonPath();
        assertEquals(1, replayed.getInt("replayed"));
        assertFalse(replayed.getBoolean("more"));

        await().atMost(DEADLINE).until(() -> deliveries(partner.partnerId(), webhookId, "DELIVERED").getList("items").size() == 1);
        assertEquals(200, carrying(receiver, transactionId).get(carrying(receiver, transactionId).size() - 1).answeredWith());
        assertEquals(1L, Database.single(pool, "SELECT count(*) FROM audit_log WHERE action = 'WEBHOOK_DELIVERIES_REPLAYED' "
                + "AND details->>'webhookId' = $1", webhookId).getLong(0));
    }

    @Test
    void shouldReplayOneDeliveryAgainEvenOnceDelivered() {
        WebhookReceiver receiver = receiver();
        Partners.TestPartner partner = earningPartner();
        String webhookId = createWebhook(partner.partnerId(), receiver.url(), "TRANSFER_RECORDED").getString("webhook.webhookId");
        String transactionId = earn(partner, LedgerApi.enroll());
        await().atMost(DEADLINE).until(() -> deliveries(partner.partnerId(), webhookId, "DELIVERED").getList("items").size() == 1);
        String deliveryId = deliveries(partner.partnerId(), webhookId, "DELIVERED").getString("items[0].deliveryId");

        given().post("/v1/admin/partners/{partnerId}/webhooks/{webhookId}/deliveries/{deliveryId}/replay",
                partner.partnerId(), webhookId, deliveryId).then().statusCode(202);

        await().atMost(DEADLINE).until(() -> carrying(receiver, transactionId).size() == 2);
        List<WebhookReceiver.Received> both = carrying(receiver, transactionId);
        assertEquals(both.get(0).header("webhook-id"), both.get(1).header("webhook-id"), "a receiver can tell it had it");
        assertProblem(given().post("/v1/admin/partners/{partnerId}/webhooks/{webhookId}/deliveries/{deliveryId}/replay",
                partner.partnerId(), webhookId, UUID.randomUUID()), 404, "WEBHOOK_DELIVERY_NOT_FOUND", null);
    }

    @Test
    void shouldSignWithBothSecretsDuringARotationAndWithTheNewOneOnceTheOldExpired() {
        WebhookReceiver receiver = receiver();
        Partners.TestPartner partner = earningPartner();
        JsonPath created = createWebhook(partner.partnerId(), receiver.url(), "TRANSFER_RECORDED");
        String webhookId = created.getString("webhook.webhookId");
        String first = created.getString("secret.secret");
        String firstId = created.getString("secret.secretId");
        String path = "/v1/admin/partners/{partnerId}/webhooks/{webhookId}/secrets";
        JsonPath rotated = given().post(path, partner.partnerId(), webhookId).then().statusCode(201).extract().jsonPath();
        String second = rotated.getString("secret");

        String duringOverlap = earn(partner, LedgerApi.enroll());
        await().atMost(DEADLINE).until(() -> !carrying(receiver, duringOverlap).isEmpty());
        WebhookReceiver.Received overlapping = carrying(receiver, duringOverlap).get(0);
        assertEquals(2, overlapping.header("webhook-signature").split(" ").length);
        assertTrue(verifies(overlapping, first) && verifies(overlapping, second), "either secret verifies during the overlap");

        assertProblem(given().post(path, partner.partnerId(), webhookId), 409, "WEBHOOK_SECRET_LIMIT_REACHED", null);
        assertProblem(given().delete(path + "/{secretId}", partner.partnerId(), webhookId, rotated.getString("secretId")),
                409, "WEBHOOK_SECRET_IS_CURRENT", null);
        given().delete(path + "/{secretId}", partner.partnerId(), webhookId, firstId).then().statusCode(204);
        given().delete(path + "/{secretId}", partner.partnerId(), webhookId, firstId).then().statusCode(204);
        assertProblem(given().delete(path + "/{secretId}", partner.partnerId(), webhookId, UUID.randomUUID()),
                404, "WEBHOOK_SECRET_NOT_FOUND", null);

        String afterExpiry = earn(partner, LedgerApi.enroll());
        await().atMost(DEADLINE).until(() -> !carrying(receiver, afterExpiry).isEmpty());
        WebhookReceiver.Received signedOnce = carrying(receiver, afterExpiry).get(0);
        assertTrue(verifies(signedOnce, second));
        assertFalse(verifies(signedOnce, first), "an expired secret no longer signs");
        assertEquals(List.of(rotated.getString("secretId")), given()
                .get("/v1/admin/partners/{partnerId}/webhooks/{webhookId}", partner.partnerId(), webhookId)
                .then().statusCode(200).extract().jsonPath().getList("secrets.secretId"));
    }

    @Test
    void shouldKeepTheEventStreamMovingWhileAReceiverHangs() {
        WebhookReceiver hanging = receiver().delaying(Duration.ofSeconds(5));
        Partners.TestPartner partner = earningPartner();
        createWebhook(partner.partnerId(), hanging.url(), "TRANSFER_RECORDED");
        UUID memberId = LedgerApi.enroll();

        for (int earn = 0; earn < 30; earn++) {
            earn(partner, memberId);
        }

        // Every consumer group, the webhooks' included, took the 30 events: the relay emptied the outbox.
        await().atMost(Duration.ofSeconds(15)).until(() -> Database.single(pool,
                "SELECT count(*) FROM outbox WHERE member_id = $1", memberId).getLong(0) == 0);
        assertEquals(30L, Database.single(pool, "SELECT count(*) FROM webhook_deliveries d JOIN webhook_events e USING (event_id) "
                + "WHERE e.payload LIKE $1", "%" + memberId + "%").getLong(0));
        assertEquals(300L, LedgerApi.available(memberId));
    }

    @Test
    void shouldLetOnlyOneOfConcurrentCreationsTakeThePartnersLastPlace() throws Exception {
        Partners.TestPartner partner = earningPartner();
        for (int webhook = 0; webhook < 9; webhook++) {
            createWebhook(partner.partnerId(), "http://127.0.0.1:9/hooks/" + webhook, "COUPON_REDEEMED");
        }

        List<Integer> statuses = Concurrently.run(8, attempt -> given().contentType(ContentType.JSON)
                .body(Map.of("url", "http://127.0.0.1:9/race/" + attempt, "eventTypes", List.of("COUPON_REDEEMED")))
                .post("/v1/admin/partners/{partnerId}/webhooks", partner.partnerId()).statusCode());

        assertEquals(1, statuses.stream().filter(status -> status == 201).count(), statuses.toString());
        assertEquals(7, statuses.stream().filter(status -> status == 409).count(), statuses.toString());
        assertEquals(10L, Database.single(pool, "SELECT count(*) FROM webhooks WHERE partner_id = $1", partner.partnerId()).getLong(0));
        Database.all(pool, "SELECT webhook_id FROM webhooks WHERE partner_id = $1", partner.partnerId())
                .forEach(row -> webhooks.add(new String[] {partner.partnerId(), row.getUUID(0).toString()}));
    }

    @Test
    void shouldNeverSignWithMoreThanTwoSecretsWhateverRotationsRace() throws Exception {
        Partners.TestPartner partner = earningPartner();
        String webhookId = createWebhook(partner.partnerId(), "http://127.0.0.1:9/hooks", "COUPON_REDEEMED").getString("webhook.webhookId");

        List<Integer> statuses = Concurrently.run(8, attempt -> given()
                .post("/v1/admin/partners/{partnerId}/webhooks/{webhookId}/secrets", partner.partnerId(), webhookId).statusCode());

        assertEquals(1, statuses.stream().filter(status -> status == 201).count(), statuses.toString());
        assertEquals(2L, Database.single(pool, "SELECT count(*) FROM webhook_secrets WHERE webhook_id = $1 "
                + "AND (expires_at IS NULL OR expires_at > now())", UUID.fromString(webhookId)).getLong(0));
        assertEquals(1L, Database.single(pool, "SELECT count(*) FROM webhook_secrets WHERE webhook_id = $1 AND expires_at IS NULL",
                UUID.fromString(webhookId)).getLong(0));
    }

    @Test
    void shouldDeliverToAHealthyReceiverWhileMoreHangingOnesThanLoopsHaveABacklog() {
        WebhookReceiver hanging = receiver().delaying(Duration.ofSeconds(30));
        WebhookReceiver healthy = receiver();
        Partners.TestPartner partner = earningPartner();
        // As many hanging webhooks as an instance runs loops (32 requests / 8 per webhook).
        for (int webhook = 0; webhook < 4; webhook++) {
            createWebhook(partner.partnerId(), hanging.url() + "/" + webhook, "TRANSFER_RECORDED");
        }
        UUID memberId = LedgerApi.enroll();
        List<String> backlog = new ArrayList<>();
        for (int earn = 0; earn < 20; earn++) {
            backlog.add(earn(partner, memberId));
        }
        // Each hanging webhook has had an attempt time out: the dispatcher knows them for failing.
        await().atMost(DEADLINE).until(() -> Database.single(pool, "SELECT count(DISTINCT d.webhook_id) FROM webhook_deliveries d "
                + "JOIN webhooks w USING (webhook_id) WHERE w.partner_id = $1 AND d.last_error IS NOT NULL", partner.partnerId())
                .getLong(0) == 4);
        createWebhook(partner.partnerId(), healthy.url(), "TRANSFER_RECORDED");

        String later = earn(partner, memberId);

        await().atMost(Duration.ofSeconds(3)).until(() -> !carrying(healthy, later).isEmpty());
        assertTrue(backlog.stream().noneMatch(transactionId -> !carrying(healthy, transactionId).isEmpty()),
                "the healthy webhook was made after the backlog: it has none of it");
    }

    @Test
    void shouldDeliverABacklogLargerThanAClaimWithOneDeliveryPerEvent() {
        WebhookReceiver receiver = receiver();
        Partners.TestPartner partner = earningPartner();
        String webhookId = createWebhook(partner.partnerId(), receiver.url(), "TRANSFER_RECORDED").getString("webhook.webhookId");
        UUID memberId = LedgerApi.enroll();
        List<String> earned = new ArrayList<>();
        // Five claims' worth (a claim is 16), made while the receiver waits: the backlog is served claim after claim.
        receiver.delaying(Duration.ofMillis(50));
        for (int earn = 0; earn < 80; earn++) {
            earned.add(earn(partner, memberId));
        }

        await().atMost(DEADLINE).until(() -> Database.single(pool,
                "SELECT count(*) FROM webhook_deliveries WHERE webhook_id = $1 AND status = 'DELIVERED'", UUID.fromString(webhookId))
                .getLong(0) == 80);
        // At least once, and a repeat (a timeout under load) carries the same webhook-id: one id per event.
        for (String transactionId : earned) {
            List<WebhookReceiver.Received> requests = carrying(receiver, transactionId);
            assertFalse(requests.isEmpty(), transactionId + " was delivered");
            assertEquals(1, requests.stream().map(request -> request.header("webhook-id")).distinct().count());
        }
        assertEquals(80, receiver.received().stream().map(request -> request.header("webhook-id")).distinct().count());
        assertEquals(80L, Database.single(pool, "SELECT count(*) FROM webhook_deliveries WHERE webhook_id = $1",
                UUID.fromString(webhookId)).getLong(0));
    }

    @Test
    void shouldLimitThePartnersWebhooks() {
        Partners.TestPartner partner = earningPartner();
        for (int webhook = 0; webhook < 10; webhook++) {
            createWebhook(partner.partnerId(), "http://127.0.0.1:9/hooks/" + webhook, "COUPON_REDEEMED");
        }
        assertProblem(given().contentType(ContentType.JSON)
                .body(Map.of("url", "http://127.0.0.1:9/hooks/x", "eventTypes", List.of("COUPON_REDEEMED")))
                .post("/v1/admin/partners/{partnerId}/webhooks", partner.partnerId()), 409, "WEBHOOK_LIMIT_REACHED", null);
        assertEquals(10, given().get("/v1/admin/partners/{partnerId}/webhooks", partner.partnerId())
                .then().statusCode(200).extract().jsonPath().getList("items").size());
        assertProblem(given().get("/v1/admin/partners/{partnerId}/webhooks", "no-such-partner"), 404, "PARTNER_NOT_FOUND", null);
    }
}
