package io.pointsledger.ledger;

import static io.pointsledger.support.LedgerApi.given;
import static io.pointsledger.support.ProblemAssertions.assertProblem;
import static org.hamcrest.Matchers.equalTo;
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
        String earnWith = "{\"orderId\":\"o\"," + VALID_AMOUNT + ",\"channel\":\"POS\"";
        return Stream.of(
                Arguments.of("malformed JSON", EARN, "key", "{\"orderId\":", 400, "MALFORMED_REQUEST", "orderId"),
                Arguments.of("not an object", EARN, "key", "[1,2]", 400, "MALFORMED_REQUEST", "body"),
                Arguments.of("a string, not an object", EARN, "key", "\"earn\"", 400, "MALFORMED_REQUEST", "body"),
                Arguments.of("two JSON values", EARN, "key", earnWith + "} {}", 400, "MALFORMED_REQUEST", "body"),
                Arguments.of("empty body", EARN, "key", "", 400, "VALIDATION_FAILED", null),
                Arguments.of("JSON null", EARN, "key", "null", 400, "VALIDATION_FAILED", null),
                Arguments.of("empty object", EARN, "key", "{}", 400, "VALIDATION_FAILED", "orderId"),
                Arguments.of("missing orderId", EARN, "key", "{" + VALID_AMOUNT + ",\"channel\":\"POS\"}", 400, "VALIDATION_FAILED", "orderId"),
                Arguments.of("missing channel", EARN, "key", "{\"orderId\":\"o\"," + VALID_AMOUNT + "}", 400, "VALIDATION_FAILED", "channel"),
                Arguments.of("missing amount", EARN, "key", "{\"orderId\":\"o\",\"channel\":\"POS\"}", 400, "VALIDATION_FAILED", "amount"),
                Arguments.of("unknown channel", EARN, "key", "{\"orderId\":\"o\"," + VALID_AMOUNT + ",\"channel\":\"FAX\"}", 400, "MALFORMED_REQUEST", "channel"),
                Arguments.of("channel as number", EARN, "key", "{\"orderId\":\"o\"," + VALID_AMOUNT + ",\"channel\":1}", 400, "MALFORMED_REQUEST", "channel"),
                Arguments.of("amount as string", EARN, "key", "{\"orderId\":\"o\",\"amount\":{\"value\":\"1000\",\"currency\":\"USD\"},\"channel\":\"POS\"}", 400, "MALFORMED_REQUEST", "amount.value"),
                Arguments.of("fractional amount", EARN, "key", "{\"orderId\":\"o\",\"amount\":{\"value\":10.5,\"currency\":\"USD\"},\"channel\":\"POS\"}", 400, "MALFORMED_REQUEST", "amount.value"),
                Arguments.of("zero amount", EARN, "key", "{\"orderId\":\"o\",\"amount\":{\"value\":0,\"currency\":\"USD\"},\"channel\":\"POS\"}", 400, "VALIDATION_FAILED", "amount.value"),
                Arguments.of("amount over its maximum", EARN, "key", "{\"orderId\":\"o\",\"amount\":{\"value\":10000000000001,\"currency\":\"USD\"},\"channel\":\"POS\"}", 400, "VALIDATION_FAILED", "amount.value"),
                Arguments.of("lowercase currency", EARN, "key", "{\"orderId\":\"o\",\"amount\":{\"value\":1000,\"currency\":\"usd\"},\"channel\":\"POS\"}", 400, "VALIDATION_FAILED", "amount.currency"),
                Arguments.of("currency the program does not take", EARN, "key", "{\"orderId\":\"o\",\"amount\":{\"value\":1000,\"currency\":\"EUR\"},\"channel\":\"POS\"}", 422, "CURRENCY_NOT_ACCEPTED", null),
                Arguments.of("zero explicit points", EARN, "key", earnWith + ",\"points\":0}", 400, "VALIDATION_FAILED", "points"),
                Arguments.of("amount earning nothing", EARN, "key", "{\"orderId\":\"o\",\"amount\":{\"value\":99,\"currency\":\"USD\"},\"channel\":\"POS\"}", 422, "NO_POINTS_EARNED", null),
                Arguments.of("orderId over 64", EARN, "key", "{\"orderId\":\"" + longOrderId + "\"," + VALID_AMOUNT + ",\"channel\":\"POS\"}", 400, "VALIDATION_FAILED", "orderId"),
                Arguments.of("orderId of 60 000 characters", EARN, "key", "{\"orderId\":\"" + "x".repeat(60_000) + "\"," + VALID_AMOUNT + ",\"channel\":\"POS\"}", 400, "VALIDATION_FAILED", "orderId"),
                Arguments.of("201 items", EARN, "key", earnWith + ",\"items\":" + manyItems + "}", 400, "VALIDATION_FAILED", "items"),
                Arguments.of("item with zero quantity", EARN, "key", earnWith + ",\"items\":[{\"sku\":\"A\",\"quantity\":0,\"unitPrice\":1}]}", 400, "VALIDATION_FAILED", "items[0].quantity"),
                Arguments.of("null item", EARN, "key", earnWith + ",\"items\":[null]}", 400, "VALIDATION_FAILED", "items[0]"),
                Arguments.of("item as an array", EARN, "key", earnWith + ",\"items\":[[1]]}", 400, "MALFORMED_REQUEST", "items[0]"),
                Arguments.of("items as an object", EARN, "key", earnWith + ",\"items\":{}}", 400, "MALFORMED_REQUEST", "items"),
                Arguments.of("quantity over int", EARN, "key", earnWith + ",\"items\":[{\"sku\":\"A\",\"quantity\":99999999999,\"unitPrice\":1}]}", 400, "MALFORMED_REQUEST", "items[0].quantity"),
                Arguments.of("occurredAt a day ahead", EARN, "key", earnWith + ",\"occurredAt\":\"" + java.time.OffsetDateTime.now().plusDays(1) + "\"}", 400, "VALIDATION_FAILED", null),
                Arguments.of("occurredAt not a timestamp", EARN, "key", earnWith + ",\"occurredAt\":\"yesterday\"}", 400, "MALFORMED_REQUEST", "occurredAt"),
                Arguments.of("occurredAt without offset", EARN, "key", earnWith + ",\"occurredAt\":\"2026-01-01T10:00:00\"}", 400, "MALFORMED_REQUEST", "occurredAt"),
                Arguments.of("occurredAt as seconds since 1970", EARN, "key", earnWith + ",\"occurredAt\":1764403200}", 400, "MALFORMED_REQUEST", "occurredAt"),
                Arguments.of("missing Idempotency-Key", EARN, null, earnWith + "}", 400, "IDEMPOTENCY_KEY_REQUIRED", null),
                Arguments.of("blank Idempotency-Key", EARN, " ", earnWith + "}", 400, "IDEMPOTENCY_KEY_REQUIRED", null),
                Arguments.of("Idempotency-Key over 128", EARN, "k".repeat(129), earnWith + "}", 400, "VALIDATION_FAILED", null),
                // Text: one rule for every string field (PrintableText), refused before it reaches PostgreSQL.
                Arguments.of("NUL in orderId", EARN, "key", "{\"orderId\":\"a\\u0000b\"," + VALID_AMOUNT + ",\"channel\":\"POS\"}", 400, "VALIDATION_FAILED", "orderId"),
                Arguments.of("escape in orderId", REDEEM, "key", "{\"points\":1,\"orderId\":\"\\u001b[2J\",\"channel\":\"POS\"}", 400, "VALIDATION_FAILED", "orderId"),
                Arguments.of("newline in orderId", REDEEM, "key", "{\"points\":1,\"orderId\":\"a\\nb\",\"channel\":\"POS\"}", 400, "VALIDATION_FAILED", "orderId"),
                Arguments.of("C1 control in orderId", REDEEM, "key", "{\"points\":1,\"orderId\":\"a\\u0085\",\"channel\":\"POS\"}", 400, "VALIDATION_FAILED", "orderId"),
                Arguments.of("lone surrogate in orderId", REDEEM, "key", "{\"points\":1,\"orderId\":\"a\\ud800\",\"channel\":\"POS\"}", 400, "VALIDATION_FAILED", "orderId"),
                Arguments.of("unescaped control character in orderId", REDEEM, "key", "{\"points\":1,\"orderId\":\"a\u0001\",\"channel\":\"POS\"}", 400, "MALFORMED_REQUEST", "orderId"),
                Arguments.of("NUL in an item sku", EARN, "key", earnWith + ",\"items\":[{\"sku\":\"\\u0000\",\"quantity\":1,\"unitPrice\":1}]}", 400, "VALIDATION_FAILED", "items[0].sku"),
                Arguments.of("U+0001 in an item category", EARN, "key", earnWith + ",\"items\":[{\"sku\":\"A\",\"quantity\":1,\"unitPrice\":1},"
                        + "{\"sku\":\"B\",\"category\":\"\\u0001\",\"quantity\":1,\"unitPrice\":1}]}", 400, "VALIDATION_FAILED", "items[1].category"),
                Arguments.of("DEL in the currency", EARN, "key", "{\"orderId\":\"o\",\"amount\":{\"value\":1000,\"currency\":\"US\\u007f\"},\"channel\":\"POS\"}", 400, "VALIDATION_FAILED", "amount.currency"),
                // Each field once: a repeated field is not "the last one wins", an unknown one is not ignored.
                Arguments.of("points twice", REDEEM, "key", "{\"points\":5,\"points\":-1,\"orderId\":\"o\",\"channel\":\"POS\"}", 400, "MALFORMED_REQUEST", "points"),
                Arguments.of("orderId twice", EARN, "key", earnWith + ",\"orderId\":\"p\"}", 400, "MALFORMED_REQUEST", "orderId"),
                Arguments.of("amount value twice", EARN, "key", "{\"orderId\":\"o\",\"amount\":{\"value\":1000,\"value\":1,\"currency\":\"USD\"},\"channel\":\"POS\"}", 400, "MALFORMED_REQUEST", "amount.value"),
                Arguments.of("unknown field", REDEEM, "key", "{\"points\":1,\"orderId\":\"o\",\"channel\":\"POS\",\"pionts\":100}", 400, "MALFORMED_REQUEST", "pionts"),
                Arguments.of("unknown amount field", EARN, "key", "{\"orderId\":\"o\",\"amount\":{\"value\":1000,\"currency\":\"USD\",\"cents\":5},\"channel\":\"POS\"}", 400, "MALFORMED_REQUEST", "amount.cents"),
                Arguments.of("unknown item field", EARN, "key", earnWith + ",\"items\":[{\"sku\":\"A\",\"quantity\":1,\"unitPrice\":1,\"colour\":\"red\"}]}", 400, "MALFORMED_REQUEST", "items[0].colour"),
                Arguments.of("zero points", REDEEM, "key", "{\"points\":0,\"orderId\":\"o\",\"channel\":\"POS\"}", 400, "VALIDATION_FAILED", "points"),
                Arguments.of("negative points", REDEEM, "key", "{\"points\":-5,\"orderId\":\"o\",\"channel\":\"POS\"}", 400, "VALIDATION_FAILED", "points"),
                Arguments.of("points over Long", REDEEM, "key", "{\"points\":9223372036854775808,\"orderId\":\"o\",\"channel\":\"POS\"}", 400, "MALFORMED_REQUEST", "points"),
                Arguments.of("points of 1001 digits", REDEEM, "key", "{\"points\":" + "9".repeat(1001) + ",\"orderId\":\"o\",\"channel\":\"POS\"}", 400, "MALFORMED_REQUEST", "body"),
                Arguments.of("points over the transfer maximum", REDEEM, "key", "{\"points\":1000000001,\"orderId\":\"o\",\"channel\":\"POS\"}", 400, "VALIDATION_FAILED", "points"),
                Arguments.of("fractional points", REDEEM, "key", "{\"points\":1.5,\"orderId\":\"o\",\"channel\":\"POS\"}", 400, "MALFORMED_REQUEST", "points"),
                Arguments.of("points as exponent", REDEEM, "key", "{\"points\":1e2,\"orderId\":\"o\",\"channel\":\"POS\"}", 400, "MALFORMED_REQUEST", "points"),
                Arguments.of("points as NaN", REDEEM, "key", "{\"points\":NaN,\"orderId\":\"o\",\"channel\":\"POS\"}", 400, "MALFORMED_REQUEST", "points"),
                Arguments.of("points as string", REDEEM, "key", "{\"points\":\"10\",\"orderId\":\"o\",\"channel\":\"POS\"}", 400, "MALFORMED_REQUEST", "points"),
                Arguments.of("points as boolean", REDEEM, "key", "{\"points\":true,\"orderId\":\"o\",\"channel\":\"POS\"}", 400, "MALFORMED_REQUEST", "points"),
                Arguments.of("null points", REDEEM, "key", "{\"points\":null,\"orderId\":\"o\",\"channel\":\"POS\"}", 400, "VALIDATION_FAILED", "points"),
                Arguments.of("orderId as number", REDEEM, "key", "{\"points\":1,\"orderId\":7,\"channel\":\"POS\"}", 400, "MALFORMED_REQUEST", "orderId"),
                Arguments.of("more than available", REDEEM, "key", "{\"points\":101,\"orderId\":\"o\",\"channel\":\"POS\"}", 409, "INSUFFICIENT_POINTS", null),
                Arguments.of("body over 64 KiB", REDEEM, "key", "{\"points\":1,\"orderId\":\"o\",\"channel\":\"POS\",\"pad\":\"" + "p".repeat(70_000) + "\"}", 413, "REQUEST_TOO_LARGE", null));
    }

    @ParameterizedTest(name = "{0} -> {4} {5}")
    @MethodSource("badRequests")
    void shouldRefuseBadInputWithAProblemAndChangeNothing(String caseName, String operation, String idempotencyKey,
            String body, int status, String code, String field) {
        long transfersBefore = Database.transferCount(pool, memberId);
        String key = idempotencyKey == null || idempotencyKey.isBlank() || idempotencyKey.length() > 128
                ? idempotencyKey
                : idempotencyKey + "-" + UUID.randomUUID();

        RequestSpecification request = given().contentType("application/json").body(body);
        if (key != null) {
            request.header("Idempotency-Key", key);
        }
        assertProblem(request.post("/v1/members/{memberId}/" + operation, memberId), status, code, field);

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
    void shouldRefuseBadHistoryQueries(String caseName, String query, String field) {
        assertProblem(given().urlEncodingEnabled(false).get("/v1/members/{memberId}/transactions?" + query, memberId),
                400, "VALIDATION_FAILED", field);
    }

    static Stream<Arguments> badHistoryQueries() {
        return Stream.of(
                Arguments.of("limit over 500", "limit=501", "limit"),
                Arguments.of("limit zero", "limit=0", "limit"),
                Arguments.of("limit negative", "limit=-1", "limit"),
                Arguments.of("limit over int", "limit=99999999999", "limit"),
                Arguments.of("limit not a number", "limit=ten", "limit"),
                Arguments.of("limit with NUL", "limit=1%00", "limit"),
                Arguments.of("cursor not ours", "cursor=bm9wZQ", "cursor"),
                Arguments.of("cursor with NUL", "cursor=%00", "cursor"),
                Arguments.of("cursor with escape", "cursor=a%1Bb", "cursor"),
                Arguments.of("parameter name with NUL", "a%00=1", "query"));
    }

    /** Bytes that are not UTF-8 are not JSON text (RFC 8259), whatever they would decode to. */
    @org.junit.jupiter.api.Test
    void shouldRefuseABodyThatIsNotUtf8() {
        String text = "{\"points\":1,\"orderId\":\"?\",\"channel\":\"POS\"}";
        byte[] body = text.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        body[text.indexOf('?')] = (byte) 0xFF;
        String key = "latin-" + UUID.randomUUID();
        assertProblem(given().contentType("application/json").header("Idempotency-Key", key).body(body)
                .post("/v1/members/{memberId}/redeem", memberId), 400, "MALFORMED_REQUEST", "orderId");
        assertEquals(100, LedgerApi.available(memberId));
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
