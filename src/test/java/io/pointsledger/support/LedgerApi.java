package io.pointsledger.support;

import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.restassured.response.Response;
import java.util.Map;
import java.util.UUID;

/** The API as a test drives it: enroll, earn, redeem, read. Each call returns the raw response. */
public final class LedgerApi {

    /** The program operator's key in dev mode and tests. */
    public static final String ADMIN_KEY = "dev-admin-key";

    private LedgerApi() {
    }

    /** A request as the program operator (all scopes). */
    public static RequestSpecification given() {
        return as(ADMIN_KEY);
    }

    /** A request presenting {@code apiKey} as its bearer key. */
    public static RequestSpecification as(String apiKey) {
        return RestAssured.given().header("Authorization", "Bearer " + apiKey);
    }

    /** Enrolls a fresh member and returns its id. */
    public static UUID enroll() {
        String memberId = enrollment().then().statusCode(201).extract().path("memberId");
        return UUID.fromString(memberId);
    }

    /** The answer to enrolling a test member, whatever it is. */
    public static Response enrollment() {
        return given().contentType(ContentType.JSON)
                .body(Map.of("name", "Test Member", "channel", "ONLINE"))
                .post("/v1/members");
    }

    /** Enrolls a member with {@code email}, consenting to email and preferring it: one the notification path mails. */
    public static UUID enrollReachableByEmail(String email) {
        return enrollReachableByEmail(email, Map.of("name", "Kim Minji", "channel", "ONLINE", "email", email));
    }

    /** The same, for a member of {@code region}. */
    public static UUID enrollReachableByEmail(String email, String region) {
        return enrollReachableByEmail(email, Map.of("name", "Kim Minji", "channel", "ONLINE", "email", email, "region", region));
    }

    private static UUID enrollReachableByEmail(String email, Map<String, Object> enrollment) {
        UUID memberId = UUID.fromString(given().contentType(ContentType.JSON)
                .body(enrollment).post("/v1/members")
                .then().statusCode(201).extract().path("memberId"));
        String version = given().get("/v1/members/{memberId}/contact-preferences", memberId).then().statusCode(200)
                .extract().header("ETag");
        given().contentType(ContentType.JSON).header("If-Match", version).body(Map.of("consents",
                        Map.of("email", true, "sms", false, "push", false), "preferredChannel", "EMAIL", "source", "MEMBER_APP"))
                .put("/v1/members/{memberId}/contact-preferences", memberId).then().statusCode(200);
        return memberId;
    }

    /** Enrolls a member and gives them exactly {@code points} by an explicit award. */
    public static UUID enrollWithPoints(long points) {
        UUID memberId = enroll();
        earnPoints(memberId, UUID.randomUUID().toString(), points).then().statusCode(201);
        return memberId;
    }

    public static Response earnPoints(UUID memberId, String idempotencyKey, long points) {
        return earnPointsAs(ADMIN_KEY, memberId, idempotencyKey, points);
    }

    /** An explicit award of {@code points} by the partner holding {@code apiKey}. */
    public static Response earnPointsAs(String apiKey, UUID memberId, String idempotencyKey, long points) {
        return as(apiKey).contentType(ContentType.JSON).header("Idempotency-Key", idempotencyKey).body(Map.of(
                "orderId", "order-" + idempotencyKey,
                "amount", Map.of("value", 100L, "currency", "USD"),
                "channel", "POS",
                "points", points))
                .post("/v1/members/{memberId}/earn", memberId);
    }

    /** A redeem by the partner holding {@code apiKey}. */
    public static Response redeemAs(String apiKey, UUID memberId, String idempotencyKey, long points) {
        return as(apiKey).contentType(ContentType.JSON).header("Idempotency-Key", idempotencyKey)
                .body(Map.of("points", points, "orderId", "order-" + idempotencyKey, "channel", "POS"))
                .post("/v1/members/{memberId}/redeem", memberId);
    }

    /** An earn for an amount at the till of the partner holding {@code apiKey}. */
    public static Response earnForAmountAs(String apiKey, UUID memberId, String idempotencyKey, long amountMinorUnits) {
        return as(apiKey).contentType(ContentType.JSON).header("Idempotency-Key", idempotencyKey).body(Map.of(
                        "orderId", "order-" + idempotencyKey,
                        "amount", Map.of("value", amountMinorUnits, "currency", "USD"),
                        "channel", "POS"))
                .post("/v1/members/{memberId}/earn", memberId);
    }

    public static Response earnForAmount(UUID memberId, String idempotencyKey, long amountMinorUnits) {
        return earn(memberId, idempotencyKey, Map.of(
                "orderId", "order-" + idempotencyKey,
                "amount", Map.of("value", amountMinorUnits, "currency", "USD"),
                "channel", "POS"));
    }

    public static Response earn(UUID memberId, String idempotencyKey, Object body) {
        return given().contentType(ContentType.JSON)
                .header("Idempotency-Key", idempotencyKey)
                .body(body)
                .post("/v1/members/{memberId}/earn", memberId);
    }

    public static Response redeem(UUID memberId, String idempotencyKey, long points) {
        return redeemAs(ADMIN_KEY, memberId, idempotencyKey, points);
    }

    public static long available(UUID memberId) {
        return given().get("/v1/members/{memberId}/balance", memberId)
                .then().statusCode(200)
                .extract().jsonPath().getLong("available");
    }

    /** Asserts reconciliation finds no account and no cause that differs from the sum of its transfers. */
    public static void assertReconciles() {
        given().get("/v1/admin/reconciliation")
                .then().statusCode(200)
                .body("mismatchCount", org.hamcrest.Matchers.equalTo(0))
                .body("causeMismatches", org.hamcrest.Matchers.empty());
    }
}
