package io.pointsledger.support;

import static io.pointsledger.support.LedgerApi.given;

import io.restassured.response.Response;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/** Hold calls as the program operator. */
public final class Holds {

    private Holds() {
    }

    public static Response hold(UUID memberId, String idempotencyKey, long points, Long expiresInSeconds) {
        Map<String, Object> body = new HashMap<>(Map.of("points", points, "orderId", "cart-" + idempotencyKey, "channel", "ONLINE"));
        if (expiresInSeconds != null) {
            body.put("expiresInSeconds", expiresInSeconds);
        }
        return given().contentType("application/json").header("Idempotency-Key", idempotencyKey).body(body)
                .post("/v1/members/{memberId}/holds", memberId);
    }

    public static String holdId(UUID memberId, long points) {
        return hold(memberId, UUID.randomUUID().toString(), points, null).then().statusCode(201).extract().path("holdId");
    }

    public static Response capture(String holdId, String idempotencyKey, Long points) {
        var request = given().header("Idempotency-Key", idempotencyKey);
        if (points != null) {
            request.contentType("application/json").body(Map.of("points", points));
        }
        return request.post("/v1/holds/{holdId}/capture", holdId);
    }

    public static Response voidHold(String holdId, String idempotencyKey) {
        var request = given();
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return request.post("/v1/holds/{holdId}/void", holdId);
    }

    public static Response reverse(String transactionId, String idempotencyKey, Long points) {
        Map<String, Object> body = new HashMap<>(Map.of("reason", "returned"));
        if (points != null) {
            body.put("points", points);
        }
        return given().contentType("application/json").header("Idempotency-Key", idempotencyKey).body(body)
                .post("/v1/transactions/{transactionId}/reverse", transactionId);
    }
}
