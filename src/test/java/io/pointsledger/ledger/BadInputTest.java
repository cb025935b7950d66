package io.pointsledger.ledger;

import static io.pointsledger.support.LedgerApi.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pointsledger.support.Database;
import io.pointsledger.support.LedgerApi;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every kind of bad input gets its 4xx problem and changes nothing. */
@QuarkusTest
class BadInputTest {

    private static final String EARN = "earn";
    private static final String REDEEM = "redeem";
    private static final String VALID_AMOUNT = "\"amount\":{\"value\":1000,\"currency\":\"USD\"}";

    /** One member shared by every case, with 100 points that no case may change. */
    private static UUID memberId;

    @Inject
    Pool pool;

    @BeforeEach
    void enrollOnce() {
        if (memberId == null) {
            memberId = LedgerApi.enrollWithPoints(100);
        }
    }

    static Stream<Arguments> badRequests() {
        String longOrderId = "x".repeat(65);
        String manyItems = "[" + String.join(",", java.util.Collections.nCopies(201,
                "{\"sku\":\"A\",\"quantity\":1,\"unitPrice\":1}")) + "]";
        return Stream.of(
                Arguments.of("malformed JSON", EARN, "key", "{\"orderId\":", 400, "MALFORMED_REQUEST"),
                Arguments.of("not an object", EARN, "key", "[1,2]", 400, "MALFORMED_REQUEST"),
                Arguments.of("empty body", EARN, "key", "", 400, "VALIDATION_FAILED"),
                Arguments.of("empty object", EARN, "key", "{}", 400, "VALIDATION_FAILED"),
                Arguments.of("missing orderId", EARN, "key", "{" + VALID_AMOUNT + ",\"channel\":\"POS\"}", 400, "VALIDATION_FAILED"),
                Arguments.of("missing channel", EARN, "key", "{\"orderId\":\"o\"," + VALID_AMOUNT + "}", 400, "VALIDATION_FAILED"),
                Arguments.of("missing amount", EARN, "key", "{\"orderId\":\"o\",\"channel\":\"POS\"}", 400, "VALIDATION_FAILED"),
                Arguments.of("unknown channel", EARN, "key", "{\"orderId\":\"o\"," + VALID_AMOUNT + ",\"channel\":\"FAX\"}", 400, "MALFORMED_REQUEST"),
                Arguments.of("channel as number", EARN, "key", "{\"orderId\":\"o\"," + VALID_AMOUNT + ",\"channel\":1}", 400, "MALFORMED_REQUEST"),
                Arguments.of("amount as string", EARN, "key", "{\"orderId\":\"o\",\"amount\":{\"value\":\"1000\",\"currency\":\"USD\"},\"channel\":\"POS\"}", 400, "MALFORMED_REQUEST"),
                Arguments.of("fractional amount", EARN, "key", "{\"orderId\":\"o\",\"amount\":{\"value\":10.5,\"currency\":\"USD\"},\"channel\":\"POS\"}", 400, "MALFORMED_REQUEST"),
                Arguments.of("zero amount", EARN, "key", "{\"orderId\":\"o\",\"amount\":{\"value\":0,\"currency\":\"USD\"},\"channel\":\"POS\"}", 400, "VALIDATION_FAILED"),
                Arguments.of("amount over its maximum", EARN, "key", "{\"orderId\":\"o\",\"amount\":{\"value\":10000000000001,\"currency\":\"USD\"},\"channel\":\"POS\"}", 400, "VALIDATION_FAILED"),
                Arguments.of("lowercase currency", EARN, "key", "{\"orderId\":\"o\",\"amount\":{\"value\":1000,\"currency\":\"usd\"},\"channel\":\"POS\"}", 400, "VALIDATION_FAILED"),
                Arguments.of("currency the program does not take", EARN, "key", "{\"orderId\":\"o\",\"amount\":{\"value\":1000,\"currency\":\"EUR\"},\"channel\":\"POS\"}", 422, "CURRENCY_NOT_ACCEPTED"),
                Arguments.of("zero explicit points", EARN, "key", "{\"orderId\":\"o\"," + VALID_AMOUNT + ",\"channel\":\"POS\",\"points\":0}", 400, "VALIDATION_FAILED"),
                Arguments.of("amount earning nothing", EARN, "key", "{\"orderId\":\"o\",\"amount\":{\"value\":99,\"currency\":\"USD\"},\"channel\":\"POS\"}", 422, "NO_POINTS_EARNED"),
                Arguments.of("orderId over 64", EARN, "key", "{\"orderId\":\"" + longOrderId + "\"," + VALID_AMOUNT + ",\"channel\":\"POS\"}", 400, "VALIDATION_FAILED"),
                Arguments.of("201 items", EARN, "key", "{\"orderId\":\"o\"," + VALID_AMOUNT + ",\"channel\":\"POS\",\"items\":" + manyItems + "}", 400, "VALIDATION_FAILED"),
                Arguments.of("item with zero quantity", EARN, "key", "{\"orderId\":\"o\"," + VALID_AMOUNT + ",\"channel\":\"POS\",\"items\":[{\"sku\":\"A\",\"quantity\":0,\"unitPrice\":1}]}", 400, "VALIDATION_FAILED"),
                Arguments.of("occurredAt a day ahead", EARN, "key", "{\"orderId\":\"o\"," + VALID_AMOUNT + ",\"channel\":\"POS\",\"occurredAt\":\"" + java.time.OffsetDateTime.now().plusDays(1) + "\"}", 400, "VALIDATION_FAILED"),
                Arguments.of("occurredAt not a timestamp", EARN, "key", "{\"orderId\":\"o\"," + VALID_AMOUNT + ",\"channel\":\"POS\",\"occurredAt\":\"yesterday\"}", 400, "MALFORMED_REQUEST"),
                Arguments.of("missing Idempotency-Key", EARN, null, "{\"orderId\":\"o\"," + VALID_AMOUNT + ",\"channel\":\"POS\"}", 400, "IDEMPOTENCY_KEY_REQUIRED"),
                Arguments.of("blank Idempotency-Key", EARN, " ", "{\"orderId\":\"o\"," + VALID_AMOUNT + ",\"channel\":\"POS\"}", 400, "IDEMPOTENCY_KEY_REQUIRED"),
                Arguments.of("Idempotency-Key over 128", EARN, "k".repeat(129), "{\"orderId\":\"o\"," + VALID_AMOUNT + ",\"channel\":\"POS\"}", 400, "VALIDATION_FAILED"),
                Arguments.of("zero points", REDEEM, "key", "{\"points\":0,\"orderId\":\"o\",\"channel\":\"POS\"}", 400, "VALIDATION_FAILED"),
                Arguments.of("negative points", REDEEM, "key", "{\"points\":-5,\"orderId\":\"o\",\"channel\":\"POS\"}", 400, "VALIDATION_FAILED"),
                Arguments.of("points over Long", REDEEM, "key", "{\"points\":9223372036854775808,\"orderId\":\"o\",\"channel\":\"POS\"}", 400, "MALFORMED_REQUEST"),
                Arguments.of("points over the transfer maximum", REDEEM, "key", "{\"points\":1000000001,\"orderId\":\"o\",\"channel\":\"POS\"}", 400, "VALIDATION_FAILED"),
                Arguments.of("fractional points", REDEEM, "key", "{\"points\":1.5,\"orderId\":\"o\",\"channel\":\"POS\"}", 400, "MALFORMED_REQUEST"),
                Arguments.of("points as string", REDEEM, "key", "{\"points\":\"10\",\"orderId\":\"o\",\"channel\":\"POS\"}", 400, "MALFORMED_REQUEST"),
                Arguments.of("points as boolean", REDEEM, "key", "{\"points\":true,\"orderId\":\"o\",\"channel\":\"POS\"}", 400, "MALFORMED_REQUEST"),
                Arguments.of("null points", REDEEM, "key", "{\"points\":null,\"orderId\":\"o\",\"channel\":\"POS\"}", 400, "VALIDATION_FAILED"),
                Arguments.of("more than available", REDEEM, "key", "{\"points\":101,\"orderId\":\"o\",\"channel\":\"POS\"}", 409, "INSUFFICIENT_POINTS"),
                Arguments.of("body over 64 KiB", REDEEM, "key", "{\"points\":1,\"orderId\":\"o\",\"channel\":\"POS\",\"pad\":\"" + "p".repeat(70_000) + "\"}", 413, "REQUEST_TOO_LARGE"));
    }

    @ParameterizedTest(name = "{0} -> {4} {5}")
    @MethodSource("badRequests")
    void shouldRefuseBadInputWithAProblemAndChangeNothing(String caseName, String operation, String idempotencyKey,
            String body, int status, String code) {
        long transfersBefore = Database.transferCount(pool, memberId);
        String key = idempotencyKey == null || idempotencyKey.isBlank() || idempotencyKey.length() > 128
                ? idempotencyKey
                : idempotencyKey + "-" + UUID.randomUUID();

        RequestSpecification request = given().contentType("application/json").body(body);
        if (key != null) {
            request.header("Idempotency-Key", key);
        }
        request.post("/v1/members/{memberId}/" + operation, memberId).then()
                .statusCode(status)
                .contentType("application/problem+json")
                .body("code", equalTo(code))
                .body("status", equalTo(status))
                .body("type", notNullValue())
                .body("title", notNullValue())
                .body("detail", notNullValue());

        assertEquals(transfersBefore, Database.transferCount(pool, memberId), caseName + " changed the ledger");
        assertEquals(100, LedgerApi.available(memberId), caseName + " changed the balance");
        if (key != null) {
            assertEquals(0, Database.single(pool, "SELECT count(*) FROM idempotency_keys WHERE idempotency_key = $1", key)
                    .getLong(0), caseName + " stored an idempotency key");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unknownTargets")
    void shouldAnswerNotFoundForUnknownMembersAndPaths(String caseName, String method, String path, String code) {
        given().contentType("application/json").header("Idempotency-Key", "unknown-" + UUID.randomUUID())
                .body("{\"points\":1,\"orderId\":\"o\",\"channel\":\"POS\"}")
                .request(method, path).then()
                .statusCode(404)
                .contentType("application/problem+json")
                .body("code", equalTo(code));
    }

    static Stream<Arguments> unknownTargets() {
        UUID nobody = UUID.randomUUID();
        return Stream.of(
                Arguments.of("redeem for an unknown member", "POST", "/v1/members/" + nobody + "/redeem", "MEMBER_NOT_FOUND"),
                Arguments.of("balance of an unknown member", "GET", "/v1/members/" + nobody + "/balance", "MEMBER_NOT_FOUND"),
                Arguments.of("history of an unknown member", "GET", "/v1/members/" + nobody + "/transactions", "MEMBER_NOT_FOUND"),
                Arguments.of("an unknown member", "GET", "/v1/members/" + nobody, "MEMBER_NOT_FOUND"),
                Arguments.of("a member id that is not a UUID", "GET", "/v1/members/not-a-uuid/balance", "NOT_FOUND"),
                Arguments.of("an unknown path", "GET", "/v1/nothing-here", "NOT_FOUND"));
    }

    @ParameterizedTest(name = "history {0}")
    @MethodSource("badHistoryQueries")
    void shouldRefuseBadHistoryQueries(String caseName, String query) {
        given().get("/v1/members/{memberId}/transactions?" + query, memberId).then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("code", equalTo("VALIDATION_FAILED"));
    }

    static Stream<Arguments> badHistoryQueries() {
        return Stream.of(
                Arguments.of("limit over 500", "limit=501"),
                Arguments.of("limit zero", "limit=0"),
                Arguments.of("limit not a number", "limit=ten"),
                Arguments.of("cursor not ours", "cursor=bm9wZQ"));
    }

    @org.junit.jupiter.api.Test
    void shouldRefuseABodyThatIsNotJson() {
        given().contentType("text/plain").header("Idempotency-Key", "text-" + UUID.randomUUID()).body("points=1")
                .post("/v1/members/{memberId}/redeem", memberId).then()
                .statusCode(415)
                .contentType("application/problem+json")
                .body("code", equalTo("UNSUPPORTED_MEDIA_TYPE"));
        assertEquals(100, LedgerApi.available(memberId));
    }
}
