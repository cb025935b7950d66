package io.pointsledger.donations;

import static io.pointsledger.support.LedgerApi.enrollWithPoints;
import static io.pointsledger.support.LedgerApi.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pointsledger.support.Concurrently;
import io.pointsledger.support.Database;
import io.pointsledger.support.LedgerApi;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

@QuarkusTest
class DonationTest {

    @Inject
    Pool pool;

    @Test
    void shouldMovePointsFromTheMemberToTheCausesAccountAndReconcile() {
        UUID causeId = createCause(0, 0);
        UUID memberId = enrollWithPoints(1000);

        Response donated = donate(memberId, causeId, 300, "give-" + memberId);

        donated.then().statusCode(201).body("points", equalTo(300)).body("matchedPoints", equalTo(0))
                .body("available", equalTo(700));
        assertEquals(700, LedgerApi.available(memberId));
        cause(causeId).then().body("donatedPoints", equalTo(300)).body("balance", equalTo(300));
        assertEquals(300, Database.single(pool, "SELECT -sum(posted_delta) FROM transfers WHERE member_id = $1 "
                + "AND kind = 'DONATION'", memberId).getLong(0));
        LedgerApi.assertReconciles();
    }

    @Test
    void shouldApplyARetriedDonationOnceAndChangeNothingWhenRefused() {
        UUID causeId = createCause(1000, 1000);
        UUID memberId = enrollWithPoints(500);
        String key = "give-once-" + memberId;

        donate(memberId, causeId, 200, key).then().statusCode(201);
        donate(memberId, causeId, 200, key).then().statusCode(201).header("Idempotent-Replayed", "true");
        donate(memberId, causeId, 400, "give-too-much-" + memberId).then().statusCode(409)
                .body("code", equalTo("INSUFFICIENT_POINTS"));

        assertEquals(300, LedgerApi.available(memberId));
        cause(causeId).then().body("donatedPoints", equalTo(200)).body("matchedPoints", equalTo(20));
    }

    @Test
    void shouldRefuseADonationToAClosedOrUnknownCause() {
        UUID causeId = createCause(0, 0);
        UUID memberId = enrollWithPoints(500);
        given().post("/v1/admin/causes/{causeId}/close", causeId).then().statusCode(200).body("status", equalTo("CLOSED"));

        donate(memberId, causeId, 100, "give-closed-" + memberId).then().statusCode(404).body("code", equalTo("CAUSE_NOT_FOUND"));
        donate(memberId, UUID.randomUUID(), 100, "give-unknown-" + memberId).then().statusCode(404)
                .body("code", equalTo("CAUSE_NOT_FOUND"));
        assertEquals(500, LedgerApi.available(memberId));
    }

    @Test
    void shouldStopMatchingAtItsBudgetUnderConcurrentDonations() throws Exception {
        UUID causeId = createCause(1000, 55);
        List<UUID> members = new ArrayList<>();
        for (int index = 0; index < 20; index++) {
            members.add(enrollWithPoints(100));
        }

        List<Response> responses = Concurrently.run(20, index -> donate(members.get(index), causeId, 100,
                "give-race-" + members.get(index)));

        assertEquals(Map.of(201, 20L), responses.stream().collect(Collectors.groupingBy(Response::statusCode, Collectors.counting())));
        long matched = responses.stream().mapToLong(response -> response.jsonPath().getLong("matchedPoints")).sum();
        assertEquals(55, matched, "ten a donation until the budget's last five");
        cause(causeId).then().body("donatedPoints", equalTo(2000)).body("matchedPoints", equalTo(55))
                .body("balance", equalTo(2055));
        LedgerApi.assertReconciles();
    }

    @Test
    void shouldStateWhatTheTransfersToTheCauseAddUpTo() {
        OffsetDateTime from = OffsetDateTime.now(ZoneOffset.UTC).minusMinutes(1);
        UUID causeId = createCause(500, 1_000_000);
        UUID first = enrollWithPoints(1000);
        UUID second = enrollWithPoints(1000);
        donate(first, causeId, 150, "give-1-" + first).then().statusCode(201);
        donate(first, causeId, 250, "give-2-" + first).then().statusCode(201);
        donate(second, causeId, 333, "give-3-" + second).then().statusCode(201);
        OffsetDateTime to = OffsetDateTime.now(ZoneOffset.UTC).plusMinutes(1);

        JsonPath statement = given().queryParam("from", from.toString()).queryParam("to", to.toString())
                .get("/v1/admin/causes/{causeId}/statement", causeId).then().statusCode(200).extract().jsonPath();

        long transferred = Database.single(pool, "SELECT sum(points) FROM transfers WHERE kind = 'DONATION' "
                + "AND metadata ->> 'causeId' = $1 AND recorded_at >= $2 AND recorded_at < $3", causeId.toString(), from, to)
                .getLong(0);
        long matchedByTransfers = Database.single(pool, "SELECT sum((metadata ->> 'matchedPoints')::bigint) FROM transfers "
                + "WHERE kind = 'DONATION' AND metadata ->> 'causeId' = $1", causeId.toString()).getLong(0);
        assertEquals(733, transferred);
        assertEquals(transferred, statement.getLong("donatedPoints"));
        assertEquals(matchedByTransfers, statement.getLong("matchedPoints"));
        assertEquals(7 + 12 + 16, statement.getLong("matchedPoints"), "5 % of each donation, rounded down");
        assertEquals(3, statement.getLong("donations"));
        assertEquals(2, statement.getLong("donors"));
        assertEquals(733 + 35, statement.getLong("totalValue"), "a point is worth one minor unit by default");
    }

    @Test
    void shouldRefuseAStatementOfABadPeriod() {
        UUID causeId = createCause(0, 0);
        given().queryParam("from", "2026-12-01T00:00:00Z").queryParam("to", "2026-11-01T00:00:00Z")
                .get("/v1/admin/causes/{causeId}/statement", causeId).then().statusCode(400)
                .body("code", equalTo("VALIDATION_FAILED"));
        given().queryParam("from", "yesterday").queryParam("to", "2026-11-01T00:00:00Z")
                .get("/v1/admin/causes/{causeId}/statement", causeId).then().statusCode(400)
                .body("code", equalTo("VALIDATION_FAILED"));
    }

    static UUID createCause(int rateBasisPoints, long budgetPoints) {
        return DonationTestSupport.createCause(rateBasisPoints, budgetPoints);
    }

    static Response donate(UUID memberId, UUID causeId, long points, String idempotencyKey) {
        return given().contentType(ContentType.JSON).header("Idempotency-Key", idempotencyKey)
                .body(Map.of("causeId", causeId.toString(), "points", points, "channel", "ONLINE"))
                .post("/v1/members/{memberId}/donations", memberId);
    }

    private static Response cause(UUID causeId) {
        return given().get("/v1/admin/causes/{causeId}", causeId);
    }
}
