package io.pointsledger.platform;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pointsledger.ledger.EarnRequest;
import io.pointsledger.partners.CreatePartnerRequest;
import io.pointsledger.support.ProblemAssertions;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The words a client reads when its JSON cannot be bound: the field it named and what the value
 * should have been, never a Java type or a Jackson message. No server needed: the mapper is set
 * up as the application sets it up.
 */
class JsonProblemsTest {

    private static final String VALID_AMOUNT = "\"amount\":{\"value\":1000,\"currency\":\"USD\"}";
    private static final String EARN_START = "{\"orderId\":\"o\"," + VALID_AMOUNT + ",\"channel\":\"POS\"";

    private final ObjectMapper mapper = strictMapper();
    private final JsonProblems problems = new JsonProblems(mapper);

    static ObjectMapper strictMapper() {
        ObjectMapper mapper = new ObjectMapper().findAndRegisterModules();
        new JsonStrictness().customize(mapper);
        return mapper;
    }

    static Stream<Arguments> malformedBodies() {
        return Stream.of(
                Arguments.of("duplicate field", "{\"points\":5,\"points\":-1," + EARN_START.substring(1) + "}",
                        "points: sent more than once"),
                Arguments.of("duplicate nested field", "{\"orderId\":\"o\",\"amount\":{\"value\":1,\"value\":2,\"currency\":\"USD\"},\"channel\":\"POS\"}",
                        "amount.value: sent more than once"),
                Arguments.of("unknown field", EARN_START + ",\"pionts\":5}",
                        "pionts: not a field of this object; its fields are [amount, channel, items, occurredAt, orderId, points]"),
                Arguments.of("unknown nested field", "{\"orderId\":\"o\",\"amount\":{\"value\":1,\"cents\":2},\"channel\":\"POS\"}",
                        "amount.cents: not a field of this object; its fields are [currency, value]"),
                Arguments.of("unknown enum constant", "{\"orderId\":\"o\"," + VALID_AMOUNT + ",\"channel\":\"FAX\"}",
                        "channel: not one of [POS, ONLINE, PARTNER]"),
                Arguments.of("enum as number", "{\"orderId\":\"o\"," + VALID_AMOUNT + ",\"channel\":1}",
                        "channel: not one of [POS, ONLINE, PARTNER]"),
                Arguments.of("timestamp not ISO-8601", EARN_START + ",\"occurredAt\":\"yesterday\"}",
                        "occurredAt: not an ISO-8601 timestamp with offset, such as 2026-05-01T09:30:00Z"),
                Arguments.of("timestamp without offset", EARN_START + ",\"occurredAt\":\"2026-05-01T09:30:00\"}",
                        "occurredAt: not an ISO-8601 timestamp with offset, such as 2026-05-01T09:30:00Z"),
                Arguments.of("integer as string", EARN_START + ",\"points\":\"10\"}", "points: not an integer"),
                Arguments.of("integer as fraction", EARN_START + ",\"points\":1.5}", "points: not an integer"),
                Arguments.of("integer as boolean", EARN_START + ",\"points\":true}", "points: not an integer"),
                Arguments.of("integer beyond long", EARN_START + ",\"points\":9223372036854775808}",
                        "points: out of range for an integer"),
                Arguments.of("integer beyond int in a list", EARN_START + ",\"items\":[{\"sku\":\"a\",\"quantity\":99999999999,\"unitPrice\":1}]}",
                        "items[0].quantity: out of range for an integer"),
                Arguments.of("string as number", "{\"orderId\":5," + VALID_AMOUNT + ",\"channel\":\"POS\"}", "orderId: not a string"),
                Arguments.of("string as object", "{\"orderId\":{}," + VALID_AMOUNT + ",\"channel\":\"POS\"}", "orderId: not a string"),
                Arguments.of("array as object", EARN_START + ",\"items\":{}}", "items: not an array"),
                Arguments.of("object as array", "{\"orderId\":\"o\",\"amount\":[1],\"channel\":\"POS\"}", "amount: not an object"),
                Arguments.of("body an array", "[1,2]", "body: not an object"),
                Arguments.of("body a string", "\"earn\"", "body: not an object"),
                Arguments.of("two bodies", EARN_START + "} {}", "body: must be one JSON value, with nothing after it"),
                Arguments.of("cut short", "{\"orderId\":", "orderId: not valid JSON (line 1, column 12)"),
                Arguments.of("a comment", "{/* x */}", "body: not valid JSON (line 1, column 2)"),
                Arguments.of("NaN", EARN_START + ",\"points\":NaN}", "points: not valid JSON (line 1, column 85)"),
                Arguments.of("number too long", EARN_START + ",\"points\":" + "9".repeat(1001) + "}",
                        "body: beyond the JSON limits: at most 1000 levels of nesting, 1000 digits in a number and 50000 characters in a field name"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedBodies")
    void shouldNameTheFieldAndSayWhatItShouldBe(String caseName, String json, String detail) {
        Problem problem = problemFor(json, EarnRequest.class);

        assertEquals("MALFORMED_REQUEST", problem.code(), caseName);
        assertEquals(detail, problem.detail(), caseName);
        assertFalse(ProblemAssertions.INTERNALS.matcher(problem.detail()).find(), caseName + " leaks internals: " + problem.detail());
    }

    /** Typed requests refuse a deep structure at its first wrong type; untyped reads meet the depth limit. */
    @Test
    void shouldRefuseNestingBeyondTheLimit() throws Exception {
        Problem problem = problemFor("{\"a\":" + "[".repeat(1500) + "]".repeat(1500) + "}", Map.class);

        assertEquals("MALFORMED_REQUEST", problem.code());
        assertEquals("body: beyond the JSON limits: at most 1000 levels of nesting, 1000 digits in a number and 50000 characters in a field name",
                problem.detail());
    }

    @Test
    void shouldListEnumConstantsAsTheApiSpellsThem() {
        Problem problem = problemFor("{\"name\":\"P\",\"scopes\":[\"fly\"],\"rateLimitPerSecond\":1}", CreatePartnerRequest.class);

        assertEquals("scopes[0]: not one of [earn, earn:manual, redeem, hold, reverse, read, pii, reports, admin]", problem.detail());
    }

    static Stream<Arguments> unprintableText() {
        return Stream.of(
                Arguments.of("NUL", "{\"orderId\":\"a\\u0000b\"," + VALID_AMOUNT + ",\"channel\":\"POS\"}", "orderId"),
                Arguments.of("escape", "{\"orderId\":\"\\u001b[31m\"," + VALID_AMOUNT + ",\"channel\":\"POS\"}", "orderId"),
                Arguments.of("newline", "{\"orderId\":\"a\\nb\"," + VALID_AMOUNT + ",\"channel\":\"POS\"}", "orderId"),
                Arguments.of("DEL", "{\"orderId\":\"a\\u007f\"," + VALID_AMOUNT + ",\"channel\":\"POS\"}", "orderId"),
                Arguments.of("C1 next line", "{\"orderId\":\"a\\u0085\"," + VALID_AMOUNT + ",\"channel\":\"POS\"}", "orderId"),
                Arguments.of("lone high surrogate", "{\"orderId\":\"a\\ud800\"," + VALID_AMOUNT + ",\"channel\":\"POS\"}", "orderId"),
                Arguments.of("lone low surrogate", "{\"orderId\":\"\\udc00a\"," + VALID_AMOUNT + ",\"channel\":\"POS\"}", "orderId"),
                Arguments.of("in a nested field", "{\"orderId\":\"o\",\"amount\":{\"value\":1,\"currency\":\"US\\u0000\"},\"channel\":\"POS\"}",
                        "amount.currency"),
                Arguments.of("in a list element", EARN_START + ",\"items\":[{\"sku\":\"a\",\"quantity\":1,\"unitPrice\":1},"
                        + "{\"sku\":\"b\\u0001\",\"quantity\":1,\"unitPrice\":1}]}", "items[1].sku"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unprintableText")
    void shouldRefuseUnprintableTextNamingTheField(String caseName, String json, String field) {
        Problem problem = problemFor(json, EarnRequest.class);

        assertEquals("VALIDATION_FAILED", problem.code(), caseName);
        assertEquals(List.of(new Problem.FieldViolation(field, PrintableText.VIOLATION)), problem.violations(), caseName);
    }

    @Test
    void shouldAcceptPrintableTextIncludingPairedSurrogates() {
        EarnRequest request = assertDoesNotThrow(() -> mapper.readValue(
                "{\"orderId\":\"caf\u00e9 \\ud83d\\ude00 \u4e2d\"," + VALID_AMOUNT + ",\"channel\":\"POS\"}", EarnRequest.class));

        assertEquals("caf\u00e9 \ud83d\ude00 \u4e2d", request.orderId());
    }

    /** Stored jsonb and events are read untyped: text written before the rule must still read. */
    @Test
    void shouldLeaveUntypedValuesAlone() {
        Map<?, ?> stored = assertDoesNotThrow(() -> mapper.readValue("{\"reason\":\"line one\\nline two\"}", Map.class));

        assertEquals("line one\nline two", stored.get("reason"));
    }

    @Test
    void shouldReadListsOfStringsByTheRule() {
        assertThrows(UnprintableTextException.class,
                () -> mapper.readValue("[\"ok\",\"a\\u0000\"]", mapper.getTypeFactory().constructCollectionType(List.class, String.class)));
    }

    private Problem problemFor(String json, Class<?> type) {
        try {
            mapper.readValue(json, type);
        } catch (JsonProcessingException e) {
            return problems.of(e);
        }
        return fail("Read without complaint: " + json);
    }
}
