package io.pointsledger.support;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.restassured.response.Response;
import java.util.regex.Pattern;

/** What every refusal answers: an RFC 9457 problem with its code, the field it names, and nothing internal. */
public final class ProblemAssertions {

    /** What an answer meant for clients never contains: Java packages, exception or Jackson names. */
    public static final Pattern INTERNALS = Pattern.compile("io\\.pointsledger|java\\.|jakarta\\.|com\\.fasterxml|Exception|Jackson|`");

    private ProblemAssertions() {
    }

    /**
     * {@code field}, when not null, is named by a violation of a {@code VALIDATION_FAILED} answer,
     * and starts the detail of any other.
     */
    public static void assertProblem(Response response, int status, String code, String field) {
        response.then()
                .statusCode(status)
                .contentType("application/problem+json")
                .body("code", equalTo(code))
                .body("status", equalTo(status))
                .body("type", notNullValue())
                .body("title", notNullValue())
                .body("detail", notNullValue());
        String answer = response.asString();
        assertFalse(INTERNALS.matcher(answer).find(), "The answer shows internals: " + answer);
        if (field != null && "VALIDATION_FAILED".equals(code)) {
            response.then().body("violations.field", hasItem(field));
        } else if (field != null) {
            response.then().body("detail", startsWith(field + ": "));
        }
    }
}
