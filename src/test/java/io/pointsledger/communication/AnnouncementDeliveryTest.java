package io.pointsledger.communication;

import static io.pointsledger.support.LedgerApi.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pointsledger.program.ProgramConfig;
import io.pointsledger.support.Database;
import io.pointsledger.support.LedgerApi;
import io.pointsledger.support.LocalMessageProviders;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/**
 * Announcements and notifications reach members through real providers: a real SMTP server and a
 * real HTTP SMS/push provider, both started with the embedded services.
 */
@QuarkusTest
class AnnouncementDeliveryTest {

    private static final Duration DELIVERY_WAIT = Duration.ofSeconds(20);

    @Inject
    Pool pool;

    @Inject
    ChannelRateLimits rateLimits;

    @Inject
    ProgramConfig program;

    @Inject
    AnnouncementPlanner planner;

    @Inject
    MemberNotifications notifications;

    @Inject
    UnsubscribeLinks links;

    @Inject
    MessageRetention retention;

    @Inject
    MessageDispatcher dispatcher;

    private record Member(UUID memberId, String email, String phone) {
    }

    private static Member enroll(String language) {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String email = "member-" + suffix + "@example.com";
        String phone = "+8210" + (10_000_000 + ThreadLocalRandom.current().nextInt(89_999_999));
        Map<String, Object> body = new HashMap<>(Map.of("name", "Kim Minji", "channel", "ONLINE", "email", email, "phone", phone));
        if (language != null) {
            body.put("language", language);
        }
        String memberId = given().contentType(ContentType.JSON).body(body).post("/v1/members").then().statusCode(201)
                .extract().path("memberId");
        return new Member(UUID.fromString(memberId), email, phone);
    }

    private static void consent(UUID memberId, boolean email, boolean sms, boolean push, String preferred, Map<String, String> quietHours) {
        String version = given().get("/v1/members/{memberId}/contact-preferences", memberId).then().statusCode(200).extract().header("ETag");
        Map<String, Object> body = new HashMap<>();
        body.put("consents", Map.of("email", email, "sms", sms, "push", push));
        body.put("preferredChannel", preferred);
        body.put("quietHours", quietHours);
        body.put("source", "MEMBER_APP");
        given().contentType(ContentType.JSON).header("If-Match", version).body(body)
                .put("/v1/members/{memberId}/contact-preferences", memberId).then().statusCode(200);
    }

    private static Response announce(String key, String importance) {
        return given().contentType(ContentType.JSON).header("Idempotency-Key", key).body(Map.of(
                        "contents", Map.of(
                                "en", Map.of("title", "Double points this weekend", "body", "Every purchase earns double points."),
                                "ko", Map.of("title", "이번 주말 포인트 2배", "body", "모든 구매에 포인트가 2배로 적립됩니다.")),
                        "defaultLanguage", "en", "importance", importance))
                .post("/v1/admin/announcements");
    }

    /** Quiet hours from an hour ago to two hours from now (program time zone): a message planned now waits. */
    private Map<String, String> quietHoursAroundNow() {
        LocalTime now = LocalTime.now(program.timeZone());
        return Map.of("from", now.minusHours(1).withNano(0).toString(), "until", now.plusHours(2).withNano(0).toString());
    }

    private static List<Map<String, Object>> messagesOf(UUID memberId) {
        return given().get("/v1/members/{memberId}/messages", memberId).then().statusCode(200).extract().jsonPath().getList("items");
    }

    /**
     * The announcement made, once planned: its audience is every member, so a test's members must
     * not be enrolled while another test's announcement is still being planned.
     */
    private static String announced(Response response) {
        response.then().statusCode(202);
        String announcementId = response.path("announcementId");
        assertEquals("/v1/admin/announcements/" + announcementId, java.net.URI.create(response.header("Location")).getPath());
        await().atMost(DELIVERY_WAIT).until(() -> !"PLANNING".equals(given().get("/v1/admin/announcements/{id}", announcementId)
                .then().statusCode(200).extract().path("status")));
        return announcementId;
    }

    /** Announcements of other test classes (to GOLD members) are planned before this class's members enroll. */
    @org.junit.jupiter.api.BeforeEach
    void waitForPlanningElsewhere() {
        // Scheduled jobs are off in tests: take up here what a failure left unplanned.
        planner.resume().await().atMost(DELIVERY_WAIT);
        await().atMost(DELIVERY_WAIT).until(() -> Database.single(pool,
                "SELECT count(*) FROM announcements WHERE status = 'PLANNING'").getLong(0) == 0);
    }

    private static Map<String, Object> report(String announcementId) {
        return given().get("/v1/admin/announcements/{id}", announcementId).then().statusCode(200).extract().jsonPath().getMap("report");
    }

    @Test
    void shouldEmailTheAnnouncementInTheMembersLanguageThroughTheSmtpServer() {
        Member member = enroll("ko-KR");
        consent(member.memberId(), true, false, false, "EMAIL", null);

        announced(announce(UUID.randomUUID().toString(), "NORMAL"));

        await().atMost(DELIVERY_WAIT).until(() -> LocalMessageProviders.distinct(LocalMessageProviders.mails(member.email())) == 1);
        Map<String, Object> mail = LocalMessageProviders.mails(member.email()).get(0);
        assertEquals("이번 주말 포인트 2배", mail.get("subject"));
        assertTrue(mail.get("text").toString().contains("모든 구매에 포인트가 2배로 적립됩니다."), mail.toString());
        assertTrue(mail.get("html").toString().contains("<h1>이번 주말 포인트 2배</h1>"), mail.toString());
        assertTrue(mail.get("text").toString().contains("수신 거부: http://localhost:8080/v1/unsubscribe/"), "the footer in Korean: " + mail);
        assertTrue(mail.get("listUnsubscribe").toString().startsWith("<http://localhost:8080/v1/unsubscribe/"), mail.toString());
        assertEquals("List-Unsubscribe=One-Click", mail.get("listUnsubscribePost"));
        await().atMost(DELIVERY_WAIT).until(() -> "SENT".equals(messagesOf(member.memberId()).get(0).get("status")));
    }

    @Test
    void shouldFallBackToTheDefaultLanguageForAMemberWhoseLanguageTheAnnouncementLacks() {
        Member member = enroll("fr");
        consent(member.memberId(), true, false, false, null, null);

        announced(announce(UUID.randomUUID().toString(), "NORMAL"));

        await().atMost(DELIVERY_WAIT).until(() -> LocalMessageProviders.distinct(LocalMessageProviders.mails(member.email())) == 1);
        assertEquals("Double points this weekend", LocalMessageProviders.mails(member.email()).get(0).get("subject"));
    }

    @Test
    void shouldNeverSendAnSmsWithoutConsentEvenForAnImportantAnnouncement() {
        Member member = enroll("en");
        consent(member.memberId(), true, false, true, "PUSH", null);

        String announcementId = announced(announce(UUID.randomUUID().toString(), "IMPORTANT"));

        await().atMost(DELIVERY_WAIT).until(() -> LocalMessageProviders.distinct(LocalMessageProviders.pushes(member.memberId().toString())) == 1
                && LocalMessageProviders.distinct(LocalMessageProviders.mails(member.email())) == 1);
        assertEquals(List.of(), LocalMessageProviders.sms(member.phone()), "no SMS without consent, however important");
        assertEquals(List.of("EMAIL", "PUSH"), messagesOf(member.memberId()).stream().map(message -> message.get("channel").toString())
                .sorted().toList());
        assertTrue(report(announcementId).containsKey("PUSH"));
    }

    @Test
    void shouldSendANormalAnnouncementOnThePreferredChannelAloneAndAnImportantOneOnASecond() {
        Member member = enroll("en");
        consent(member.memberId(), true, true, false, "SMS", null);

        announced(announce(UUID.randomUUID().toString(), "NORMAL"));
        await().atMost(DELIVERY_WAIT).until(() -> LocalMessageProviders.distinct(LocalMessageProviders.sms(member.phone())) == 1);
        announced(announce(UUID.randomUUID().toString(), "IMPORTANT"));
        await().atMost(DELIVERY_WAIT).until(() -> LocalMessageProviders.distinct(LocalMessageProviders.sms(member.phone())) == 2
                && LocalMessageProviders.distinct(LocalMessageProviders.mails(member.email())) == 1);

        Map<String, Object> sms = LocalMessageProviders.sms(member.phone()).get(0);
        assertTrue(sms.get("text").toString().startsWith("Double points this weekend: Every purchase earns double points. Unsubscribe: "),
                sms.toString());
        assertEquals(member.memberId().toString(), sms.get("memberId"));
    }

    @Test
    void shouldDeliverOnceToAProviderThatFailedFiveTimesThenAccepted() {
        Member member = enroll("en");
        consent(member.memberId(), false, true, false, "SMS", null);
        LocalMessageProviders.failNext(member.phone(), 5, 503);

        announced(announce(UUID.randomUUID().toString(), "NORMAL"));

        await().atMost(DELIVERY_WAIT).until(() -> "SENT".equals(messagesOf(member.memberId()).get(0).get("status")));
        Map<String, Object> message = messagesOf(member.memberId()).get(0);
        assertTrue((Integer) message.get("attempts") >= 6, "five refusals, then a sixth attempt taken: " + message);
        assertEquals(1, LocalMessageProviders.distinct(LocalMessageProviders.sms(member.phone())), "one message, after five refusals");
    }

    @Test
    void shouldSkipAMessageWhoseMemberWithdrewConsentBeforeItWentOut() {
        Member member = enroll("en");
        // Quiet hours around now hold the message back; the member then withdraws consent.
        consent(member.memberId(), true, false, false, "EMAIL", quietHoursAroundNow());

        announced(announce(UUID.randomUUID().toString(), "NORMAL"));
        await().atMost(DELIVERY_WAIT).until(() -> messagesOf(member.memberId()).size() == 1);
        assertEquals("PENDING", messagesOf(member.memberId()).get(0).get("status"), "held back by quiet hours");
        consent(member.memberId(), false, false, false, null, null);
        // The quiet hours end: the message is due.
        Database.execute(pool, "UPDATE member_messages SET next_attempt_at = now() WHERE member_id = $1", member.memberId());

        await().atMost(DELIVERY_WAIT).until(() -> "SKIPPED".equals(messagesOf(member.memberId()).get(0).get("status")));
        assertEquals("the member does not consent to EMAIL", messagesOf(member.memberId()).get(0).get("lastError"));
        assertEquals(List.of(), LocalMessageProviders.mails(member.email()));
    }

    @Test
    void shouldHoldBackAMessageDueInQuietHoursTheMemberSetAfterItWasPlanned() {
        Member member = enroll("en");
        consent(member.memberId(), true, false, false, "EMAIL", quietHoursAroundNow());
        announced(announce(UUID.randomUUID().toString(), "NORMAL"));
        await().atMost(DELIVERY_WAIT).until(() -> messagesOf(member.memberId()).size() == 1);
        OffsetDateTime quietEnd = Database.single(pool, "SELECT next_attempt_at FROM member_messages WHERE member_id = $1",
                member.memberId()).getOffsetDateTime(0);

        // As if planned before the member chose these quiet hours: due now, while they last.
        Database.execute(pool, "UPDATE member_messages SET next_attempt_at = now() WHERE member_id = $1", member.memberId());

        await().atMost(DELIVERY_WAIT).until(() -> Database.single(pool, "SELECT next_attempt_at > now() FROM member_messages "
                + "WHERE member_id = $1", member.memberId()).getBoolean(0));
        Row message = Database.single(pool, "SELECT status, attempts, next_attempt_at, last_error FROM member_messages WHERE member_id = $1",
                member.memberId());
        assertEquals(List.of("PENDING", 0), List.of(message.getString("status"), message.getInteger("attempts")),
                "put back untried");
        assertEquals(quietEnd.toInstant(), message.getOffsetDateTime("next_attempt_at").toInstant().truncatedTo(ChronoUnit.SECONDS),
                "due when the quiet hours end");
        assertEquals(null, message.getString("last_error"));
        assertEquals(List.of(), LocalMessageProviders.mails(member.email()));
    }

    @Test
    void shouldAnswerTheSameAnnouncementForARetryAndRefuseAnotherRequestUnderItsKey() {
        String key = UUID.randomUUID().toString();
        String first = announced(announce(key, "NORMAL"));

        Response retry = announce(key, "NORMAL");
        assertEquals(first, announced(retry));
        assertEquals("true", retry.header("Idempotent-Replayed"));
        announce(key, "IMPORTANT").then().statusCode(422).body("code", org.hamcrest.Matchers.equalTo("IDEMPOTENCY_KEY_REUSED"));
        assertEquals(1L, Database.single(pool, "SELECT count(*) FROM announcements WHERE idempotency_key = $1", key).getLong(0));
    }

    @Test
    void shouldRefuseAnAnnouncementWithoutAnIdempotencyKey() {
        long before = Database.single(pool, "SELECT count(*) FROM announcements").getLong(0);
        given().contentType(ContentType.JSON).body(Map.of("contents", Map.of("en", Map.of("title", "t", "body", "b")),
                        "defaultLanguage", "en"))
                .post("/v1/admin/announcements").then().statusCode(400).body("code", org.hamcrest.Matchers.equalTo("IDEMPOTENCY_KEY_REQUIRED"));
        assertEquals(before, Database.single(pool, "SELECT count(*) FROM announcements").getLong(0));
    }

    @Test
    void shouldSkipTheMessagesOfACancelledAnnouncementNotYetSent() {
        Member member = enroll("en");
        consent(member.memberId(), true, false, false, "EMAIL", quietHoursAroundNow());
        String announcementId = announced(announce(UUID.randomUUID().toString(), "NORMAL"));
        await().atMost(DELIVERY_WAIT).until(() -> messagesOf(member.memberId()).size() == 1);

        given().post("/v1/admin/announcements/{id}/cancel", announcementId).then().statusCode(200)
                .body("status", org.hamcrest.Matchers.equalTo("CANCELLED"));
        Database.execute(pool, "UPDATE member_messages SET next_attempt_at = now() WHERE member_id = $1", member.memberId());

        await().atMost(DELIVERY_WAIT).until(() -> "SKIPPED".equals(messagesOf(member.memberId()).get(0).get("status")));
        assertEquals(List.of(), LocalMessageProviders.mails(member.email()));
    }

    @Test
    void shouldNotifyATierChangeByEmailInTheMembersLanguage() {
        Member member = enroll("ko");
        consent(member.memberId(), true, false, false, "EMAIL", null);

        LedgerApi.earnForAmount(member.memberId(), UUID.randomUUID().toString(), 1_000_000).then().statusCode(201);

        await().atMost(DELIVERY_WAIT).until(() -> LocalMessageProviders.distinct(LocalMessageProviders.mails(member.email())) == 1);
        Map<String, Object> mail = LocalMessageProviders.mails(member.email()).get(0);
        assertEquals("이제 GOLD 등급입니다", mail.get("subject"));
        assertEquals("TIER_CHANGED", messagesOf(member.memberId()).get(0).get("kind"));
    }

    @Test
    void shouldFailOnlyTheMessageAProviderRefusesAsMalformed() {
        Member refused = enroll("en");
        Member fine = enroll("en");
        consent(refused.memberId(), false, true, false, "SMS", null);
        consent(fine.memberId(), false, true, false, "SMS", null);
        LocalMessageProviders.failNext(refused.phone(), 1_000, 400);

        announced(announce(UUID.randomUUID().toString(), "NORMAL"));

        await().atMost(DELIVERY_WAIT).until(() -> "FAILED".equals(messagesOf(refused.memberId()).get(0).get("status"))
                && "SENT".equals(messagesOf(fine.memberId()).get(0).get("status")));
        assertEquals("provider answered 400", messagesOf(refused.memberId()).get(0).get("lastError"));
        assertEquals(1, LocalMessageProviders.distinct(LocalMessageProviders.sms(fine.phone())));
    }

    @Test
    void shouldFailAMessageWhoseRetryWindowEndedWithoutSendingIt() {
        Member member = enroll("en");
        consent(member.memberId(), true, false, false, "EMAIL", quietHoursAroundNow());
        announced(announce(UUID.randomUUID().toString(), "NORMAL"));
        await().atMost(DELIVERY_WAIT).until(() -> messagesOf(member.memberId()).size() == 1);

        // Its claims lapsed, say, until the window ended: due, and too late.
        Database.execute(pool, "UPDATE member_messages SET next_attempt_at = now(), retry_until = now() WHERE member_id = $1",
                member.memberId());
        dispatcher.failExpired();

        await().atMost(DELIVERY_WAIT).until(() -> "FAILED".equals(messagesOf(member.memberId()).get(0).get("status")));
        assertEquals("its retry window ended", messagesOf(member.memberId()).get(0).get("lastError"));
        assertEquals(List.of(), LocalMessageProviders.mails(member.email()));
    }

    @Test
    void shouldWriteANotificationDeliveredAgainOnceEvenAfterThePreferredChannelChanged() {
        Member member = enroll("en");
        Map<String, String> quiet = quietHoursAroundNow();
        consent(member.memberId(), true, true, false, "EMAIL", quiet);
        String event = new io.vertx.core.json.JsonObject().put("schemaVersion", 1).put("eventType", "TIER_CHANGED")
                .put("memberId", member.memberId().toString()).put("from", "BASIC").put("to", "SILVER")
                .put("reason", "qualifying spend reached").put("changedAt", "2026-11-30T09:00:00Z").encode();

        notifications.consume(List.of(event)).await().atMost(DELIVERY_WAIT);
        consent(member.memberId(), true, true, false, "SMS", quiet);
        notifications.consume(List.of(event)).await().atMost(DELIVERY_WAIT);

        List<Map<String, Object>> messages = messagesOf(member.memberId());
        assertEquals(1, messages.size(), messages.toString());
        assertEquals("EMAIL", messages.get(0).get("channel"));
    }

    @Test
    void shouldOpenAPageWithOneButtonAndWithdrawNothingWhenTheLinkIsFollowed() {
        Member member = enroll("en");
        consent(member.memberId(), true, false, false, "EMAIL", null);
        String token = links.tokenFor(member.memberId(), ContactChannel.EMAIL);

        String page = io.restassured.RestAssured.given().accept("text/html").get("/v1/unsubscribe/{token}", token)
                .then().statusCode(200).contentType(org.hamcrest.Matchers.startsWith("text/html")).extract().asString();

        // The form posts to the page's own address, whatever prefix a proxy puts before it.
        assertTrue(page.contains("<form method=\"post\" action=\"\">"), page);
        given().get("/v1/members/{memberId}/contact-preferences", member.memberId()).then().statusCode(200)
                .body("consents.find { it.channel == 'EMAIL' }.granted", org.hamcrest.Matchers.equalTo(true));
    }

    @Test
    void shouldKeepAddressesOutOfTheErrorsItStores() {
        assertEquals("550 5.1.1 <<address>> unknown; SMS to <phone> refused",
                MessageDispatcher.redacted("550 5.1.1 <kim.minji@example.com> unknown; SMS to +82 10-1234-5678 refused"));
    }

    @Test
    void shouldPurgeSettledMessagesPastTheRetentionAndKeepTheRest() {
        Member member = enroll("en");
        consent(member.memberId(), false, false, true, "PUSH", null);
        announced(announce(UUID.randomUUID().toString(), "NORMAL"));
        announced(announce(UUID.randomUUID().toString(), "NORMAL"));
        await().atMost(DELIVERY_WAIT).until(() -> messagesOf(member.memberId()).stream().allMatch(message -> "SENT".equals(message.get("status")))
                && messagesOf(member.memberId()).size() == 2);
        String oldest = messagesOf(member.memberId()).get(1).get("messageId").toString();
        Database.execute(pool, "UPDATE member_messages SET settled_at = now() - interval '91 days' WHERE message_id = $1",
                UUID.fromString(oldest));

        retention.purge().await().atMost(DELIVERY_WAIT);

        List<Map<String, Object>> kept = messagesOf(member.memberId());
        assertEquals(1, kept.size(), kept.toString());
        assertTrue(!kept.get(0).get("messageId").equals(oldest));
    }

    @Test
    void shouldHandOutNoMoreTokensThanAChannelsRateInASecond() {
        // A bucket of its own, so that the dispatcher's rounds take nothing from it meanwhile.
        String bucket = "test-" + UUID.randomUUID();
        long fallbacksBefore = rateLimits.fallbackDecisions();
        long startNanos = System.nanoTime();
        int first = rateLimits.take(bucket, ContactChannel.SMS, 7, 50).await().atMost(Duration.ofSeconds(5));
        int second = rateLimits.take(bucket, ContactChannel.SMS, 7, 50).await().atMost(Duration.ofSeconds(5));
        double refilled = 7 * ((System.nanoTime() - startNanos) / 1e9);
        // Redis slower than its timeout (a loaded machine) decides in memory, at the rate shared among instances.
        int expectedFirst = rateLimits.fallbackDecisions() == fallbacksBefore ? 7 : 3;
        assertEquals(expectedFirst, first, "one second of the rate at once, not the 50 wanted");
        assertTrue(second <= Math.ceil(refilled), "then only what refilled since: " + second + " after " + refilled);
    }
}
