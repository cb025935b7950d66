package io.pointsledger.members;

import static io.pointsledger.support.LedgerApi.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@QuarkusTest
class MemberEnrollmentTest {

    @Test
    void shouldEnrollAtTheTillWithAnEmptyBasicAccount() {
        String externalId = "till-" + UUID.randomUUID();
        Response created = given().contentType(ContentType.JSON)
                .body(Map.of("externalId", externalId, "name", "Kim Minji", "email", "minji@example.com",
                        "phone", "+821012345678", "birthDate", "1990-04-01", "channel", "OFFLINE"))
                .post("/v1/members");

        created.then().statusCode(201)
                .body("tier", equalTo("BASIC"))
                .body("available", equalTo(0));
        String memberId = created.path("memberId");
        assertTrue(created.getHeader("Location").endsWith("/v1/members/" + memberId), created.getHeader("Location"));

        given().get("/v1/members/{memberId}", memberId).then()
                .statusCode(200)
                .body("memberId", equalTo(memberId))
                .body("externalId", equalTo(externalId))
                .body("name", equalTo("Kim Minji"))
                .body("email", equalTo("minji@example.com"))
                .body("phone", equalTo("+821012345678"))
                .body("birthDate", equalTo("1990-04-01"))
                .body("channel", equalTo("OFFLINE"))
                .body("tier", equalTo("BASIC"))
                .body("available", equalTo(0))
                .body("posted", equalTo(0))
                .body("held", equalTo(0))
                .body("enrolledAt", notNullValue());
    }

    @Test
    void shouldEnrollOnlineWithOnlyANameAndChannel() {
        given().contentType(ContentType.JSON).body(Map.of("name", "Lee", "channel", "ONLINE"))
                .post("/v1/members").then()
                .statusCode(201)
                .body("channel", equalTo("ONLINE"))
                .body("memberId", notNullValue());
    }

    @Test
    void shouldRefuseASecondMemberWithTheSameExternalId() {
        String externalId = "dup-" + UUID.randomUUID();
        Map<String, Object> body = Map.of("externalId", externalId, "name", "First", "channel", "ONLINE");
        given().contentType(ContentType.JSON).body(body).post("/v1/members").then().statusCode(201);

        given().contentType(ContentType.JSON).body(Map.of("externalId", externalId, "name", "Second", "channel", "OFFLINE"))
                .post("/v1/members").then()
                .statusCode(409)
                .contentType("application/problem+json")
                .body("code", equalTo("MEMBER_ALREADY_EXISTS"));
    }

    static Stream<Arguments> invalidEnrollments() {
        return Stream.of(
                Arguments.of("name missing", Map.of("channel", "ONLINE"), "name"),
                Arguments.of("name blank", Map.of("name", " ", "channel", "ONLINE"), "name"),
                Arguments.of("name over 100", Map.of("name", "n".repeat(101), "channel", "ONLINE"), "name"),
                Arguments.of("channel missing", Map.of("name", "N"), "channel"),
                Arguments.of("externalId over 64", Map.of("name", "N", "channel", "ONLINE", "externalId", "e".repeat(65)), "externalId"),
                Arguments.of("email invalid", Map.of("name", "N", "channel", "ONLINE", "email", "not-an-email"), "email"),
                Arguments.of("phone not E.164", Map.of("name", "N", "channel", "ONLINE", "phone", "010-1234-5678"), "phone"),
                Arguments.of("birthDate in the future", Map.of("name", "N", "channel", "ONLINE",
                        "birthDate", LocalDate.now().plusDays(2).toString()), "birthDate"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidEnrollments")
    void shouldRefuseInvalidEnrollmentNamingTheField(String caseName, Map<String, Object> body, String field) {
        given().contentType(ContentType.JSON).body(new HashMap<>(body)).post("/v1/members").then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("code", equalTo("VALIDATION_FAILED"))
                .body("violations.field", org.hamcrest.Matchers.hasItem(field));
    }

    @Test
    void shouldRefuseAnUnknownEnrollmentChannelAndABadDate() {
        given().contentType(ContentType.JSON).body(Map.of("name", "N", "channel", "KIOSK"))
                .post("/v1/members").then().statusCode(400).body("code", equalTo("MALFORMED_REQUEST"));
        given().contentType(ContentType.JSON).body(Map.of("name", "N", "channel", "ONLINE", "birthDate", "1990-13-45"))
                .post("/v1/members").then().statusCode(400).body("code", equalTo("MALFORMED_REQUEST"));
    }
}
