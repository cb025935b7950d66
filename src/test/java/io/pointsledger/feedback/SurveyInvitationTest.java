package io.pointsledger.feedback;

import static io.pointsledger.support.LedgerApi.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pointsledger.support.Database;
import io.pointsledger.support.LedgerApi;
import io.pointsledger.support.LocalMessageProviders;
import io.pointsledger.support.Reservations;
import io.pointsledger.support.Segments;
import io.pointsledger.support.Surveys;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Survey invitations end to end, against the real PostgreSQL, the in-process broker and the local
 * SMTP server: a purchase or an attendance invites its member once, a redelivered event invites
 * nobody again, and a segment's members are invited through an announcement.
 */
@QuarkusTest
class SurveyInvitationTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String INVITATION_SUBJECT = "Your opinion, please: ";

    @Inject
    Pool pool;

    @Inject
    SurveyInvitations invitations;

    /**
     * A purchase invites its member by mail; a second purchase within the quiet days does not, nor
     * does the first purchase's event delivered again. The invitation's target is answerable and
     * paid. A purchase from before the survey opened invites nobody.
     */
    @Test
    void shouldInviteTheMemberOfAPurchaseOnceAndNotAgainWithinTheQuietDays() {
        String name = "After shopping " + UUID.randomUUID().toString().substring(0, 8);
        String surveyId = invitingSurvey(name, "PURCHASE");
        try {
            String email = "invited-" + UUID.randomUUID() + "@example.test";
            UUID member = LedgerApi.enrollReachableByEmail(email);
            String purchase = LedgerApi.earnForAmount(member, UUID.randomUUID().toString(), 12_000).then().statusCode(201)
                    .extract().path("transactionId");
            await().atMost(WAIT).until(() -> LocalMessageProviders.distinct(LocalMessageProviders.mails(email)) == 1);
            assertEquals(INVITATION_SUBJECT + name, LocalMessageProviders.mails(email).get(0).get("subject"));

            LedgerApi.earnForAmount(member, UUID.randomUUID().toString(), 5_000).then().statusCode(201);
            awaitEventsApplied(member);
            JsonObject redelivered = purchaseEvent(member, UUID.fromString(purchase), OffsetDateTime.now(ZoneOffset.UTC));
            invitations.consume(List.of(redelivered.encode(), redelivered.encode())).await().atMost(WAIT);
            awaitEventsApplied(member);

            assertEquals(1, invitationsOf(member), "one invitation: the second purchase is within the quiet days, the first one's again");
            assertEquals(1, Database.single(pool, "SELECT count(*) FROM member_messages WHERE member_id = $1 AND kind = 'SURVEY_INVITATION'",
                    member).getLong(0));
            assertEquals(purchase, Database.single(pool, "SELECT target_id::text FROM survey_invitations WHERE member_id = $1", member)
                    .getString(0));
            assertEquals(1, LocalMessageProviders.distinct(LocalMessageProviders.mails(email)));
            answer(member, surveyId, purchase).then().statusCode(201).body("rewardTransactionId", notNullValue());
            assertEquals(20 + purchasePoints(member), LedgerApi.available(member));
            given().delete("/v1/members/{memberId}", member).then().statusCode(204);
            assertEquals(0, invitationsOf(member), "an erasure forgets the member's invitations");

            UUID earlier = LedgerApi.enrollReachableByEmail("earlier-" + UUID.randomUUID() + "@example.test");
            invitations.consume(List.of(purchaseEvent(earlier, UUID.randomUUID(), OffsetDateTime.now(ZoneOffset.UTC).minusDays(2)).encode()))
                    .await().atMost(WAIT);
            assertEquals(0, invitationsOf(earlier), "a purchase from before the survey opened is not asked about");
        } finally {
            given().post("/v1/admin/surveys/{id}/close", surveyId).then().statusCode(200);
        }
        LedgerApi.assertReconciles();
    }

    /**
     * Of two purchases delivered in one batch the earlier invites (the quiet days hold back the
     * other), and a purchase returned before its event is consumed invites nobody.
     */
    @Test
    void shouldInviteForTheEarliestPurchaseOfABatchAndNeverForAReturnedOne() {
        UUID member = LedgerApi.enrollReachableByEmail("batch-" + UUID.randomUUID() + "@example.test");
        String returned = LedgerApi.earnForAmount(member, UUID.randomUUID().toString(), 9_000).then().statusCode(201)
                .extract().path("transactionId");
        given().contentType(ContentType.JSON).header("Idempotency-Key", UUID.randomUUID().toString()).body(Map.of("reason", "returned"))
                .post("/v1/transactions/{id}/reverse", returned).then().statusCode(201);
        String surveyId = invitingSurvey("Batch " + UUID.randomUUID().toString().substring(0, 8), "PURCHASE");
        try {
            OffsetDateTime opened = OffsetDateTime.now(ZoneOffset.UTC).plusSeconds(1);
            invitations.consume(List.of(purchaseEvent(member, UUID.fromString(returned), opened).encode())).await().atMost(WAIT);
            assertEquals(0, invitationsOf(member), "a returned purchase is not asked about");

            UUID earlier = UUID.randomUUID();
            invitations.consume(List.of(purchaseEvent(member, UUID.randomUUID(), opened.plusSeconds(5)).encode(),
                    purchaseEvent(member, earlier, opened).encode())).await().atMost(WAIT);

            assertEquals(1, invitationsOf(member));
            assertEquals(earlier.toString(), Database.single(pool, "SELECT target_id::text FROM survey_invitations WHERE member_id = $1",
                    member).getString(0));
        } finally {
            given().post("/v1/admin/surveys/{id}/close", surveyId).then().statusCode(200);
        }
    }

    /** An attended reservation invites its member, once; a survey that does not invite sends nothing. */
    @Test
    void shouldInviteTheMemberOfAnAttendedReservation() {
        String name = "After a fitting " + UUID.randomUUID().toString().substring(0, 8);
        String surveyId = invitingSurvey(name, "RESERVATION_ATTENDED");
        String silentSurveyId = given().contentType(ContentType.JSON).body(surveyRequest("Silent " + name, "RESERVATION_ATTENDED", false).getMap())
                .post("/v1/admin/surveys").then().statusCode(201).body("invites", equalTo(false)).extract().path("surveyId");
        try {
            String email = "visitor-" + UUID.randomUUID() + "@example.test";
            UUID member = LedgerApi.enrollReachableByEmail(email);
            String bookableId = Reservations.bookable(5);
            String reservationId = Reservations.book(member, bookableId,
                    Reservations.slotAfter(bookableId, OffsetDateTime.now(ZoneOffset.UTC).plusMinutes(1)));
            given().contentType(ContentType.JSON).body(Map.of("outcome", "ATTENDED"))
                    .post("/v1/admin/reservations/{id}/attendance", reservationId).then().statusCode(200);

            await().atMost(WAIT).until(() -> LocalMessageProviders.mails(email).stream()
                    .anyMatch(mail -> (INVITATION_SUBJECT + name).equals(mail.get("subject"))));
            awaitEventsApplied(member);
            assertEquals(1, invitationsOf(member), "the inviting survey's invitation only");
            answer(member, surveyId, reservationId).then().statusCode(201);
        } finally {
            given().post("/v1/admin/surveys/{id}/close", surveyId).then().statusCode(200);
            given().post("/v1/admin/surveys/{id}/close", silentSurveyId).then().statusCode(200);
        }
    }

    /**
     * A segment's survey invites its members through an announcement to the segment, in the
     * program's words: each member of the segment gets one mail, a member elsewhere none, and a
     * retry under the same key invites nobody again.
     */
    @Test
    void shouldInviteASegmentsMembersThroughAnAnnouncement() {
        String region = Surveys.region();
        List<String> inside = List.of("a-" + UUID.randomUUID() + "@example.test", "b-" + UUID.randomUUID() + "@example.test");
        inside.forEach(email -> LedgerApi.enrollReachableByEmail(email, region));
        String outside = "c-" + UUID.randomUUID() + "@example.test";
        LedgerApi.enrollReachableByEmail(outside, "Elsewhere-" + region);
        String surveyId = Surveys.forMembersOf(region);
        String name = given().get("/v1/admin/surveys/{id}", surveyId).then().statusCode(200).extract().path("name");
        String key = UUID.randomUUID().toString();

        String segmentId = given().get("/v1/admin/surveys/{id}", surveyId).then().statusCode(200).extract().path("segmentId");
        String announcementId = invite(surveyId, key, Map.of()).then().statusCode(202).body("audience.segmentId", equalTo(segmentId))
                .extract().path("announcementId");
        invite(surveyId, key, Map.of()).then().statusCode(202).header("Idempotent-Replayed", "true")
                .header("Location", endsWith("/v1/admin/announcements/" + announcementId)).body("announcementId", equalTo(announcementId));

        for (String email : inside) {
            await().atMost(WAIT).until(() -> LocalMessageProviders.distinct(LocalMessageProviders.mails(email)) == 1);
            Map<String, Object> mail = LocalMessageProviders.mails(email).get(0);
            assertEquals(INVITATION_SUBJECT + name, mail.get("subject"));
            assertTrue(String.valueOf(mail.get("text")).contains("earn 5 points"), "the points an answer earns: " + mail.get("text"));
        }
        given().get("/v1/admin/announcements/{id}", announcementId).then().statusCode(200).body("membersPlanned", equalTo(inside.size()));
        assertEquals(0, LocalMessageProviders.mails(outside).size());
    }

    /** Only an open SEGMENT survey is sent to a segment, and own words name their default language; nothing is announced otherwise. */
    @Test
    void shouldRefuseAnInvitationToASurveyThatIsNotAnOpenSegmentsOne() {
        String purchaseSurvey = given().contentType(ContentType.JSON).body(surveyRequest("Not a segment's", "PURCHASE", false).getMap())
                .post("/v1/admin/surveys").then().statusCode(201).extract().path("surveyId");
        given().post("/v1/admin/surveys/{id}/close", purchaseSurvey).then().statusCode(200);
        invite(purchaseSurvey, UUID.randomUUID().toString(), Map.of()).then().statusCode(400).body("code", equalTo("VALIDATION_FAILED"));
        given().contentType(ContentType.JSON).body(surveyRequest("Segment inviting", "SEGMENT", true)
                        .put("segmentId", Segments.saved("region = 'Nowhere'")).getMap())
                .post("/v1/admin/surveys").then().statusCode(400).body("code", equalTo("VALIDATION_FAILED"));

        String segmentSurvey = Surveys.forMembersOf(Surveys.region());
        invite(segmentSurvey, UUID.randomUUID().toString(), Map.of("contents", Map.of("en", Map.of("title", "Hi", "body", "Answer"))))
                .then().statusCode(400).body("code", equalTo("VALIDATION_FAILED"));
        given().post("/v1/admin/surveys/{id}/close", segmentSurvey).then().statusCode(200);
        invite(segmentSurvey, UUID.randomUUID().toString(), Map.of()).then().statusCode(409).body("code", equalTo("SURVEY_CLOSED"));
        invite(UUID.randomUUID().toString(), UUID.randomUUID().toString(), Map.of()).then().statusCode(404)
                .body("code", equalTo("SURVEY_NOT_FOUND"));
    }

    private static String invitingSurvey(String name, String trigger) {
        return given().contentType(ContentType.JSON).body(surveyRequest(name, trigger, true).getMap()).post("/v1/admin/surveys")
                .then().statusCode(201).body("invites", equalTo(true)).extract().path("surveyId");
    }

    private static JsonObject surveyRequest(String name, String trigger, boolean invites) {
        return new JsonObject().put("name", name).put("trigger", trigger).put("rewardPoints", 20).put("invites", invites)
                .put("questions", List.of(Map.of("id", "overall", "kind", "RATING", "text", "How was it?", "required", true)));
    }

    private static io.restassured.response.Response invite(String surveyId, String key, Map<String, Object> body) {
        return given().contentType(ContentType.JSON).header("Idempotency-Key", key).body(body)
                .post("/v1/admin/surveys/{id}/invitations", surveyId);
    }

    private static io.restassured.response.Response answer(UUID member, String surveyId, String targetId) {
        return given().contentType(ContentType.JSON).body(Map.of("surveyId", surveyId, "targetId", targetId, "answers", Map.of("overall", 5)))
                .post("/v1/members/{memberId}/survey-responses", member);
    }

    /** A purchase's TRANSFER_RECORDED as the ledger writes it, with the fields invitations read. */
    private static JsonObject purchaseEvent(UUID member, UUID transferId, OffsetDateTime occurredAt) {
        return new JsonObject().put("schemaVersion", 1).put("eventType", "TRANSFER_RECORDED").put("transferId", transferId.toString())
                .put("memberId", member.toString()).put("kind", "EARN").put("points", 120)
                .put("amount", new JsonObject().put("value", 12_000).put("currency", "USD")).put("occurredAt", occurredAt.toString());
    }

    private long invitationsOf(UUID member) {
        return Database.single(pool, "SELECT count(*) FROM survey_invitations WHERE member_id = $1", member).getLong(0);
    }

    private long purchasePoints(UUID member) {
        return Database.single(pool, "SELECT coalesce(sum(points), 0) FROM transfers WHERE member_id = $1 AND kind = 'EARN'", member)
                .getLong(0);
    }

    /** Every consumer group applied the member's events: the relay deletes an event once all of them have. */
    private void awaitEventsApplied(UUID member) {
        await().atMost(WAIT).until(() -> Database.single(pool, "SELECT count(*) FROM outbox WHERE member_id = $1", member).getLong(0) == 0);
    }
}
