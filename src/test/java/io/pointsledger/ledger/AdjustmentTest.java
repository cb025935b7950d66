package io.pointsledger.ledger;

import static io.pointsledger.support.LedgerApi.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pointsledger.support.LedgerApi;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
class AdjustmentTest {

    private static Response adjust(UUID memberId, String key, Object points, String reason, Boolean allowNegative) {
        Map<String, Object> body = new HashMap<>();
        body.put("points", points);
        body.put("reason", reason);
        if (allowNegative != null) {
            body.put("allowNegative", allowNegative);
        }
        return given().contentType("application/json").header("Idempotency-Key", key).body(body)
                .post("/v1/admin/members/{memberId}/adjustments", memberId);
    }

    @Test
    void shouldCorrectBalancesWithAReasonAndAuditIt() {
        UUID memberId = LedgerApi.enroll();

        adjust(memberId, "goodwill-" + memberId, 250, "goodwill: late delivery", null).then().statusCode(201)
                .body("kind", equalTo("ADJUSTMENT")).body("postedDelta", equalTo(250)).body("available", equalTo(250));
        adjust(memberId, "fix-" + memberId, -50, "duplicate earn", null).then().statusCode(201)
                .body("postedDelta", equalTo(-50)).body("available", equalTo(200));
        adjust(memberId, "fix-" + memberId, -50, "duplicate earn", null).then().statusCode(201)
                .header("Idempotent-Replayed", "true").body("available", equalTo(200));
        assertEquals(200, LedgerApi.available(memberId), "a retried adjustment applies once");

        given().queryParam("limit", 10).get("/v1/admin/audit").then().statusCode(200)
                .body("items.find { it.target == '" + memberId + "' }.action", equalTo("POINTS_ADJUSTED"))
                .body("items.find { it.target == '" + memberId + "' }.details.reason", equalTo("duplicate earn"));
        LedgerApi.assertReconciles();
    }

    @Test
    void shouldRefuseToOverdrawUnlessAllowed() {
        UUID memberId = LedgerApi.enrollWithPoints(30);

        adjust(memberId, "over-" + memberId, -31, "chargeback", null).then().statusCode(409).body("code", equalTo("INSUFFICIENT_POINTS"));
        adjust(memberId, "over-allowed-" + memberId, -31, "chargeback", true).then().statusCode(201).body("posted", equalTo(-1));
        LedgerApi.assertReconciles();
    }

    @Test
    void shouldRefuseZeroAndMissingReasons() {
        UUID memberId = LedgerApi.enrollWithPoints(30);
        adjust(memberId, "zero-" + memberId, 0, "nothing", null).then().statusCode(400).body("code", equalTo("VALIDATION_FAILED"));
        adjust(memberId, "no-reason-" + memberId, 5, null, null).then().statusCode(400).body("code", equalTo("VALIDATION_FAILED"));
        adjust(memberId, "long-reason-" + memberId, 5, "r".repeat(201), null).then().statusCode(400);
        adjust(UUID.randomUUID(), "nobody", 5, "x", null).then().statusCode(404).body("code", equalTo("MEMBER_NOT_FOUND"));
        assertEquals(30, LedgerApi.available(memberId));
    }
}
