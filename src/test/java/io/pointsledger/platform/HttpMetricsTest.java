package io.pointsledger.platform;

import static io.pointsledger.support.LedgerApi.given;
import static org.hamcrest.Matchers.oneOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pointsledger.support.LedgerApi;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The per-endpoint timers are tagged with the route template, never the raw path: one series per
 * endpoint however many members, holds and transactions there are (Micrometer stops adding URI
 * tags at 100 and says so in the log), and earn, redeem and balance apart.
 */
@QuarkusTest
class HttpMetricsTest {

    private static final int DISTINCT_IDS = 15;
    private static final String OVERSIZED_BODY = "{\"orderId\":\"" + "x".repeat(70 * 1024) + "\"}";
    private static final Pattern URI_TAG = Pattern.compile("^http_server_requests_seconds_count\\{[^}]*uri=\"([^\"]*)\"", Pattern.MULTILINE);
    private static final Pattern ID = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-");

    @Test
    void shouldTagEveryEndpointWithItsRouteTemplate() {
        for (int index = 0; index < DISTINCT_IDS; index++) {
            UUID memberId = LedgerApi.enroll();
            LedgerApi.earnPoints(memberId, "metrics-earn-" + memberId, 10).then().statusCode(201);
            LedgerApi.redeem(memberId, "metrics-redeem-" + memberId, 1).then().statusCode(201);
            given().get("/v1/members/{memberId}/balance", memberId).then().statusCode(200);
            given().get("/v1/members/{memberId}/transactions", memberId).then().statusCode(200);
            given().get("/v1/members/{memberId}", memberId).then().statusCode(200);
            given().get("/v1/holds/{holdId}", UUID.randomUUID()).then().statusCode(404);
            given().get("/v1/transactions/{transactionId}", UUID.randomUUID()).then().statusCode(404);
            given().contentType(ContentType.JSON).header("Idempotency-Key", UUID.randomUUID().toString())
                    .body(Map.of("reason", "returned"))
                    .post("/v1/transactions/{transactionId}/reverse", UUID.randomUUID()).then().statusCode(404);
            given().get("/v1/admin/partners/{partnerId}", "partner-" + UUID.randomUUID()).then().statusCode(404);
            // Refused before the resource method runs: no key, a malformed body, a wrong method.
            RestAssured.get("/v1/members/{memberId}/balance", UUID.randomUUID()).then().statusCode(401);
            given().contentType(ContentType.JSON).header("Idempotency-Key", "k").body("{")
                    .post("/v1/members/{memberId}/earn", UUID.randomUUID()).then().statusCode(400);
            given().delete("/v1/members/{memberId}/balance", UUID.randomUUID()).then().statusCode(oneOf(404, 405));
            // Refused before routing: the body is over the limit, so no route template is known.
            given().contentType(ContentType.JSON).header("Idempotency-Key", "k").body(OVERSIZED_BODY)
                    .post("/v1/members/{memberId}/earn", UUID.randomUUID()).then().statusCode(413);
        }

        Set<String> uris = uriTags(RestAssured.get("/q/metrics").then().statusCode(200).extract().asString());

        for (String uri : uris) {
            assertTrue(!ID.matcher(uri).find() && !uri.contains("partner-"), "a raw id in the uri tag " + uri + "; all: " + uris);
        }
        assertTrue(uris.containsAll(Set.of(
                "/v1/members/{memberId}/earn",
                "/v1/members/{memberId}/redeem",
                "/v1/members/{memberId}/balance",
                "/v1/members/{memberId}/transactions",
                "/v1/members/{memberId}",
                "/v1/holds/{holdId}",
                "/v1/transactions/{transactionId}",
                "/v1/transactions/{transactionId}/reverse",
                "/v1/admin/partners/{partnerId}")), "templates, earn, redeem and balance apart: " + uris);
        assertEquals(uris.size(), uris.stream().distinct().count());
    }

    private static Set<String> uriTags(String metrics) {
        Set<String> uris = new TreeSet<>();
        Matcher matcher = URI_TAG.matcher(metrics);
        while (matcher.find()) {
            uris.add(matcher.group(1));
        }
        return uris;
    }
}
