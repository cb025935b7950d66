package io.pointsledger.feedback;

import static io.pointsledger.support.LedgerApi.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pointsledger.support.Concurrently;
import io.pointsledger.support.Database;
import io.pointsledger.support.LedgerApi;
import io.pointsledger.support.Partners;
import io.pointsledger.support.Reservations;
import io.pointsledger.support.Segments;
import io.pointsledger.support.Surveys;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.path.json.config.JsonPathConfig;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Surveys against a real PostgreSQL: one answer per member and target, its points once, and reports equal to a hand computation. */
@QuarkusTest
class SurveyTest {

    private static final List<Map<String, Object>> QUESTIONS = List.of(
            Map.of("id", "overall", "kind", "RATING", "text", "How was it?", "required", true),
            Map.of("id", "recommend", "kind", "NPS", "text", "Would you recommend us?"),
            Map.of("id", "liked", "kind", "MULTIPLE_CHOICE", "text", "What did you like?", "options", List.of("staff", "price", "speed")),
            Map.of("id", "comment", "kind", "TEXT", "text", "Anything else?"));

    @Inject
    Pool pool;

    /**
     * Ten identical answers at once about one attended reservation: one is stored, the survey's
     * 50 points are paid once, every other one answers what was stored; another answer is refused.
     */
    @Test
    void shouldStoreOneAnswerPerTargetAndPayItsPointsOnceUnderConcurrency() throws Exception {
        String surveyId = survey("RESERVATION_ATTENDED", null, 50);
        String reservationId = Reservations.bookedForNow();
        UUID member = UUID.fromString(Database.single(pool, "SELECT member_id FROM reservations WHERE reservation_id = $1",
                UUID.fromString(reservationId)).getUUID(0).toString());
        Map<String, Object> answers = Map.of("overall", 5, "recommend", 10, "liked", List.of("staff"), "comment", "Lovely fitting");
        answer(member, surveyId, reservationId, answers).then().statusCode(409).body("code", equalTo("SURVEY_TARGET_NOT_ELIGIBLE"));
        given().contentType(ContentType.JSON).body(Map.of("outcome", "ATTENDED"))
                .post("/v1/admin/reservations/{id}/attendance", reservationId).then().statusCode(200);

        List<Response> responses = Concurrently.run(10, index -> answer(member, surveyId, reservationId, answers));

        assertEquals(10, responses.stream().filter(response -> response.statusCode() == 201).count());
        assertEquals(9, responses.stream().filter(response -> "true".equals(response.header("Idempotent-Replayed"))).count());
        assertEquals(1, responses.stream().map(response -> response.path("responseId")).distinct().count());
        assertEquals(50, LedgerApi.available(member));
        answer(member, surveyId, reservationId, Map.of("overall", 1)).then().statusCode(409)
                .body("code", equalTo("SURVEY_ALREADY_ANSWERED"));
        answer(LedgerApi.enroll(), surveyId, reservationId, answers).then().statusCode(404)
                .body("code", equalTo("SURVEY_TARGET_NOT_FOUND"));
        assertEquals(50, LedgerApi.available(member));
        LedgerApi.assertReconciles();
    }

    /**
     * Twelve purchases at one store, ten answered: the report's counts, mean, CSAT and NPS (with
     * their intervals) and response rate are those worked out by hand below.
     */
    @Test
    void shouldReportWhatAHandComputationGivesOnAFixedSetOfAnswers() {
        String surveyId = survey("PURCHASE", null, 0);
        Partners.TestPartner store = Partners.create(1_000, "earn", "read");
        int[] ratings = {5, 5, 4, 4, 4, 3, 2, 5, 1, 4};
        int[] scores = {10, 9, 9, 8, 7, 6, 3, 10, 0, 9};
        String[] comments = {"Great tailor", "slow service", "GREAT coffee", null, null, null, null, null, null, null};
        OffsetDateTime from = OffsetDateTime.now(ZoneOffset.UTC).minusMinutes(1);
        for (int index = 0; index < 12; index++) {
            UUID member = LedgerApi.enroll();
            String transactionId = LedgerApi.earnForAmountAs(store.apiKey(), member, UUID.randomUUID().toString(), 2_000)
                    .then().statusCode(201).extract().path("transactionId");
            if (index < 10) {
                Map<String, Object> answers = new HashMap<>(Map.of("overall", ratings[index], "recommend", scores[index]));
                if (comments[index] != null) {
                    answers.put("comment", comments[index]);
                }
                answer(member, surveyId, transactionId, answers).then().statusCode(201).body("store", equalTo(store.partnerId()))
                        .body("channel", equalTo("POS")).body("rewardTransactionId", nullValue());
            }
        }
        OffsetDateTime to = OffsetDateTime.now(ZoneOffset.UTC).plusMinutes(1);

        JsonPath report = given().queryParam("from", from.toString()).queryParam("to", to.toString()).queryParam("store", store.partnerId())
                .get("/v1/admin/surveys/{id}/report", surveyId).then().statusCode(200).extract().jsonPath()
                .using(new JsonPathConfig(JsonPathConfig.NumberReturnType.DOUBLE));

        // Ratings: 4 or 5 seven times of ten, mean 37 / 10. Scores: promoters (9, 10) five, detractors (0 to 6) three: NPS 20.
        assertEquals(10, report.getInt("responses"));
        assertEquals(12, report.getInt("eligible"));
        assertEquals(10.0 / 12, report.getDouble("responseRate.value"), 1e-9);
        assertEquals(FeedbackStatistics.wilson(10, 12).low(), report.getDouble("responseRate.low"), 1e-9);
        assertEquals(3.7, report.getDouble("questions[0].mean"), 1e-9);
        assertEquals(Map.of("1", 1, "2", 1, "3", 1, "4", 4, "5", 3), report.getMap("questions[0].distribution"));
        assertEquals(0.7, report.getDouble("questions[0].csat.value"), 1e-9);
        // Wilson, 7 of 10: centre (0.7 + 3.8415 / 20) / 1.38415 = 0.6445, half 1.96 √(0.021 + 0.0096) / 1.38415 = 0.2477.
        assertEquals(0.3968, report.getDouble("questions[0].csat.low"), 1e-4);
        assertEquals(0.8922, report.getDouble("questions[0].csat.high"), 1e-4);
        assertEquals(20.0, report.getDouble("questions[1].nps.value"), 1e-9);
        // ± 100 × 1.96 × √((0.5 + 0.3 − 0.04) / 10) = ± 54.03
        assertEquals(20 - 54.03, report.getDouble("questions[1].nps.low"), 1e-2);
        assertEquals(3.0, report.getDouble("questions[3].answered"), 1e-9);

        List<String> great = given().queryParam("question", "comment").queryParam("search", "great")
                .get("/v1/admin/surveys/{id}/text-answers", surveyId).then().statusCode(200).extract().jsonPath().getList("items.text");
        assertEquals(List.of("GREAT coffee", "Great tailor"), great);
        given().queryParam("question", "overall").get("/v1/admin/surveys/{id}/text-answers", surveyId).then().statusCode(400)
                .body("violations[0].field", equalTo("question"));
    }

    /** A purchase survey is answered about the member's own earns for an amount only; a segment survey by its members only. */
    @Test
    void shouldAcceptOnlyTheTargetsASurveyFollows() {
        String purchaseSurvey = survey("PURCHASE", null, 0);
        UUID member = LedgerApi.enroll();
        LedgerApi.earnForAmount(member, UUID.randomUUID().toString(), 5_000).then().statusCode(201);
        String redeem = LedgerApi.redeem(member, UUID.randomUUID().toString(), 10).then().statusCode(201).extract().path("transactionId");
        answer(member, purchaseSurvey, redeem, Map.of("overall", 4)).then().statusCode(409)
                .body("code", equalTo("SURVEY_TARGET_NOT_ELIGIBLE"));
        answer(member, purchaseSurvey, null, Map.of("overall", 4)).then().statusCode(400).body("violations[0].field", equalTo("targetId"));
        answer(member, purchaseSurvey, UUID.randomUUID().toString(), Map.of("overall", 4)).then().statusCode(404)
                .body("code", equalTo("SURVEY_TARGET_NOT_FOUND"));
        String returned = LedgerApi.earnForAmount(member, UUID.randomUUID().toString(), 3_000).then().statusCode(201).extract()
                .path("transactionId");
        given().contentType(ContentType.JSON).header("Idempotency-Key", UUID.randomUUID().toString()).body(Map.of("reason", "returned"))
                .post("/v1/transactions/{id}/reverse", returned).then().statusCode(201);
        answer(member, purchaseSurvey, returned, Map.of("overall", 1)).then().statusCode(409)
                .body("code", equalTo("SURVEY_TARGET_NOT_ELIGIBLE"));
        String bought = LedgerApi.earnForAmount(member, UUID.randomUUID().toString(), 3_000).then().statusCode(201).extract()
                .path("transactionId");
        // No points for purchases made before a survey opened, nor for another partner's.
        answer(member, survey("PURCHASE", null, 10), redeem, Map.of("overall", 4)).then().statusCode(409);
        String later = survey("PURCHASE", null, 10);
        answer(member, later, bought, Map.of("overall", 4)).then().statusCode(409).body("code", equalTo("SURVEY_TARGET_NOT_ELIGIBLE"));
        Partners.TestPartner otherTill = Partners.create(1_000, "earn", "read");
        LedgerApi.as(otherTill.apiKey()).contentType(ContentType.JSON)
                .body(Map.of("surveyId", purchaseSurvey, "targetId", bought, "answers", Map.of("overall", 4)))
                .post("/v1/members/{memberId}/survey-responses", member).then().statusCode(404)
                .body("code", equalTo("SURVEY_TARGET_NOT_FOUND"));
        Map<String, Object> choices = Map.of("overall", 4, "liked", List.of("speed", "staff"));
        answer(member, purchaseSurvey, bought, choices).then().statusCode(201);
        answer(member, purchaseSurvey, bought, Map.of("overall", 4, "liked", List.of("staff", "speed"))).then().statusCode(201)
                .header("Idempotent-Replayed", "true").body("answers.liked", equalTo(List.of("staff", "speed")));

        String region = "Survey-" + UUID.randomUUID().toString().substring(0, 8);
        UUID inside = UUID.fromString(given().contentType(ContentType.JSON).body(Map.of("name", "In", "channel", "ONLINE", "region", region))
                .post("/v1/members").then().statusCode(201).extract().path("memberId"));
        String segmentSurvey = survey("SEGMENT", Segments.saved("region = '" + region + "'"), 20);
        answer(inside, segmentSurvey, null, Map.of("overall", 5, "liked", List.of("price", "speed"))).then().statusCode(201)
                .body("targetId", equalTo(segmentSurvey));
        answer(member, segmentSurvey, null, Map.of("overall", 5)).then().statusCode(409).body("code", equalTo("SURVEY_TARGET_NOT_ELIGIBLE"));
        assertEquals(20, LedgerApi.available(inside));

        answer(inside, segmentSurvey, null, Map.of("overall", 6)).then().statusCode(400).body("violations[0].field", equalTo("answers.overall"));
        answer(inside, segmentSurvey, null, Map.of("recommend", 5)).then().statusCode(400).body("violations[0].field", equalTo("answers.overall"));
        answer(inside, segmentSurvey, null, Map.of("overall", 5, "liked", List.of("staff", "staff"))).then().statusCode(400)
                .body("violations[0].field", equalTo("answers.liked"));
        answer(inside, segmentSurvey, null, Map.of("overall", 5, "bogus", 1)).then().statusCode(400)
                .body("violations[0].field", equalTo("answers.bogus"));
        given().post("/v1/admin/surveys/{id}/close", segmentSurvey).then().statusCode(200).body("status", equalTo("CLOSED"));
        answer(inside, segmentSurvey, null, Map.of("overall", 5, "liked", List.of("price", "speed"))).then().statusCode(201)
                .header("Idempotent-Replayed", "true");
        answer(Surveys.memberOf(region), segmentSurvey, null, Map.of("overall", 5)).then().statusCode(409)
                .body("code", equalTo("SURVEY_CLOSED"));
    }

    /** An erased member's answers go with the erasure: free text may say who they were. */
    @Test
    void shouldForgetAnErasedMembersAnswers() {
        String surveyId = survey("PURCHASE", null, 0);
        UUID member = LedgerApi.enroll();
        String earn = LedgerApi.earnForAmount(member, UUID.randomUUID().toString(), 5_000).then().statusCode(201).extract()
                .path("transactionId");
        answer(member, surveyId, earn, Map.of("overall", 4, "comment", "I am Kim from Seoul")).then().statusCode(201);

        given().delete("/v1/members/{memberId}", member).then().statusCode(204);

        assertEquals(0, Database.single(pool, "SELECT count(*) FROM survey_responses WHERE member_id = $1", member).getLong(0));
    }

    private static String survey(String trigger, String segmentId, long points) {
        Map<String, Object> request = new HashMap<>(Map.of("name", "Survey " + UUID.randomUUID(), "trigger", trigger, "questions", QUESTIONS,
                "rewardPoints", points));
        if (segmentId != null) {
            request.put("segmentId", segmentId);
        }
        return given().contentType(ContentType.JSON).body(request).post("/v1/admin/surveys").then().statusCode(201).extract().path("surveyId");
    }

    private static Response answer(UUID member, String surveyId, String targetId, Map<String, Object> answers) {
        Map<String, Object> body = new HashMap<>(Map.of("surveyId", surveyId, "answers", answers));
        if (targetId != null) {
            body.put("targetId", targetId);
        }
        return given().contentType(ContentType.JSON).body(body).post("/v1/members/{memberId}/survey-responses", member);
    }
}
