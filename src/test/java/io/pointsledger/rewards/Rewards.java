package io.pointsledger.rewards;

import static io.pointsledger.support.LedgerApi.given;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/** The rewards API as the tests drive it. */
final class Rewards {

    private Rewards() {
    }

    /** A PRODUCT body at {@code points} with {@code stock} units (null: no limit); callers add to it. */
    static Map<String, Object> product(long points, Long stock) {
        Map<String, Object> body = new HashMap<>();
        body.put("kind", "PRODUCT");
        body.put("name", "Canvas tote bag");
        body.put("points", points);
        body.put("stock", stock);
        return body;
    }

    /** An EXPERIENCE body: {@code seats} seats at an event starting at {@code startsAt}. */
    static Map<String, Object> experience(long points, long seats, OffsetDateTime startsAt, OffsetDateTime cancellableUntil) {
        Map<String, Object> body = new HashMap<>();
        body.put("kind", "EXPERIENCE");
        body.put("name", "Preview evening");
        body.put("points", points);
        body.put("stock", seats);
        Map<String, Object> event = new HashMap<>();
        event.put("startsAt", startsAt.toString());
        event.put("venue", "Flagship store");
        event.put("cancellableUntil", cancellableUntil == null ? null : cancellableUntil.toString());
        body.put("event", event);
        return body;
    }

    static UUID create(Map<String, Object> body) {
        return UUID.fromString(given().contentType(ContentType.JSON).body(body).post("/v1/admin/rewards")
                .then().statusCode(201).extract().path("rewardId"));
    }

    static Response claim(UUID memberId, UUID rewardId, String idempotencyKey) {
        return claimAs(given(), memberId, rewardId, idempotencyKey, Map.of("channel", "ONLINE"));
    }

    static Response claimAs(io.restassured.specification.RequestSpecification caller, UUID memberId, UUID rewardId,
            String idempotencyKey, Map<String, Object> body) {
        return caller.contentType(ContentType.JSON).header("Idempotency-Key", idempotencyKey).body(body)
                .post("/v1/members/{memberId}/rewards/{rewardId}/claims", memberId, rewardId);
    }

    static Response cancel(UUID memberId, UUID claimId, String idempotencyKey) {
        return given().contentType(ContentType.JSON).header("Idempotency-Key", idempotencyKey).body(Map.of())
                .post("/v1/members/{memberId}/reward-claims/{claimId}/cancellation", memberId, claimId);
    }

    static Response fulfil(UUID claimId) {
        return given().contentType(ContentType.JSON).body(Map.of("reference", "shipment 1"))
                .post("/v1/reward-claims/{claimId}/fulfilment", claimId);
    }

    static Response reward(UUID rewardId) {
        return given().get("/v1/admin/rewards/{rewardId}", rewardId);
    }
}
