package io.pointsledger.members;

import static io.pointsledger.support.LedgerApi.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pointsledger.support.Concurrently;
import io.pointsledger.support.Database;
import io.pointsledger.support.LedgerApi;
import io.pointsledger.support.Partners;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ProfileChangeTest {

    private static final String MERGE_PATCH = "application/merge-patch+json";

    @Inject
    Pool pool;

    private static String uniquePhone() {
        return "+8210" + (10_000_000 + ThreadLocalRandom.current().nextInt(89_999_999));
    }

    private static String enroll(String email, String phone) {
        return given().contentType(ContentType.JSON)
                .body(Map.of("name", "Lee Hana", "email", email, "phone", phone, "birthDate", "1992-03-04",
                        "region", "Seoul", "language", "ko", "channel", "ONLINE"))
                .post("/v1/members").then().statusCode(201).body("version", equalTo(1)).extract().path("memberId");
    }

    private static Response change(String memberId, String ifMatch, Object body) {
        var request = given().contentType(MERGE_PATCH).body(body);
        if (ifMatch != null) {
            request.header("If-Match", ifMatch);
        }
        return request.patch("/v1/members/{memberId}", memberId);
    }

    private static Response lookUp(Map<String, Object> body) {
        return given().contentType(ContentType.JSON).body(body).post("/v1/members/lookups");
    }

    @Test
    void shouldChangeOnlyTheFieldsNamedAndRemoveThoseSetToNull() {
        String phone = uniquePhone();
        String memberId = enroll("hana." + UUID.randomUUID() + "@example.com", phone);
        given().get("/v1/members/{memberId}", memberId).then().statusCode(200).header("ETag", "\"1\"");

        Map<String, Object> patch = new HashMap<>();
        patch.put("region", "Busan");
        patch.put("gender", "FEMALE");
        patch.put("phone", null);
        change(memberId, "\"1\"", patch).then().statusCode(200).header("ETag", "\"2\"")
                .body("version", equalTo(2)).body("region", equalTo("Busan")).body("gender", equalTo("FEMALE"))
                .body("phone", nullValue()).body("name", equalTo("Lee Hana")).body("language", equalTo("ko"))
                .body("birthDate", equalTo("1992-03-04"));
        given().get("/v1/members/{memberId}", memberId).then().statusCode(200).header("ETag", "\"2\"")
                .body("region", equalTo("Busan")).body("phone", nullValue()).body("gender", equalTo("FEMALE"));
        lookUp(Map.of("phone", phone)).then().statusCode(200).body("items", hasSize(0));

        String gender = Database.single(pool, "SELECT gender_encrypted FROM members WHERE member_id = $1",
                UUID.fromString(memberId)).getString(0);
        assertTrue(gender.startsWith("dev1:") && !gender.contains("FEMALE"), "gender is stored encrypted: " + gender);
    }

    @Test
    void shouldFindAChangedEmailAndNoLongerTheOldOne() {
        String oldEmail = "old." + UUID.randomUUID() + "@example.com";
        String newEmail = "new." + UUID.randomUUID() + "@example.com";
        String memberId = enroll(oldEmail, uniquePhone());

        change(memberId, "\"1\"", Map.of("email", newEmail)).then().statusCode(200).body("email", equalTo(newEmail));

        lookUp(Map.of("email", oldEmail)).then().statusCode(200).body("items", hasSize(0));
        lookUp(Map.of("email", newEmail.toUpperCase())).then().statusCode(200)
                .body("items", hasSize(1)).body("items[0].memberId", equalTo(memberId));
    }

    @Test
    void shouldAuditTheFieldsChangedWithoutTheirValues() {
        String memberId = enroll("audit." + UUID.randomUUID() + "@example.com", uniquePhone());

        change(memberId, "\"1\"", Map.of("name", "Lee Hana", "region", "Daegu", "language", "en-GB")).then().statusCode(200);

        Row entry = Database.single(pool, """
                SELECT details::text FROM audit_log WHERE action = 'MEMBER_PROFILE_UPDATED' AND target = $1""", memberId);
        String details = entry.getString(0);
        assertTrue(details.contains("\"region\"") && details.contains("\"language\""), details);
        assertFalse(details.contains("\"name\""), "the name was given as it was, so it did not change: " + details);
        assertFalse(details.contains("Daegu") || details.contains("en-GB"), "values stay out of the audit: " + details);
    }

    @Test
    void shouldLeaveTheVersionAsItIsWhenNothingChanges() {
        String memberId = enroll("same." + UUID.randomUUID() + "@example.com", uniquePhone());

        change(memberId, "\"1\"", Map.of("region", "Seoul")).then().statusCode(200).header("ETag", "\"1\"");
        change(memberId, "\"1\"", Map.of()).then().statusCode(200).header("ETag", "\"1\"");
        assertEquals(0L, Database.single(pool, "SELECT count(*) FROM audit_log WHERE action = 'MEMBER_PROFILE_UPDATED' AND target = $1",
                memberId).getLong(0));
    }

    @Test
    void shouldRequireIfMatchAndRefuseAStaleVersion() {
        String memberId = enroll("stale." + UUID.randomUUID() + "@example.com", uniquePhone());

        change(memberId, null, Map.of("region", "Incheon")).then().statusCode(428).body("code", equalTo("IF_MATCH_REQUIRED"));
        change(memberId, "\"1\"", Map.of("region", "Incheon")).then().statusCode(200);
        change(memberId, "\"1\"", Map.of("region", "Ulsan")).then().statusCode(412).body("code", equalTo("MEMBER_VERSION_MISMATCH"));
        given().get("/v1/members/{memberId}", memberId).then().body("region", equalTo("Incheon"));
        change(memberId, "*", Map.of("region", "Ulsan")).then().statusCode(200).body("region", equalTo("Ulsan"));
    }

    @Test
    void shouldLetOnlyOneOfTwoChangesFromTheSameReadWin() throws Exception {
        String memberId = enroll("race." + UUID.randomUUID() + "@example.com", uniquePhone());

        List<Integer> statuses = Concurrently.run(8, index ->
                change(memberId, "\"1\"", Map.of("region", "Region " + index)).statusCode());

        assertEquals(1, statuses.stream().filter(status -> status == 200).count(), statuses.toString());
        assertEquals(7, statuses.stream().filter(status -> status == 412).count(), statuses.toString());
        given().get("/v1/members/{memberId}", memberId).then().header("ETag", "\"2\"");
    }

    @Test
    void shouldRefuseToRemoveTheNameOrToFillInAnErasedProfile() {
        String memberId = enroll("erased." + UUID.randomUUID() + "@example.com", uniquePhone());
        Map<String, Object> noName = new HashMap<>();
        noName.put("name", null);

        change(memberId, "\"1\"", noName).then().statusCode(400).body("code", equalTo("VALIDATION_FAILED"))
                .body("violations[0].field", equalTo("name"));
        change(memberId, "\"1\"", Map.of("name", "  ")).then().statusCode(400).body("code", equalTo("VALIDATION_FAILED"));

        given().delete("/v1/members/{memberId}", memberId).then().statusCode(204);
        change(memberId, "*", Map.of("region", "Seoul")).then().statusCode(409).body("code", equalTo("MEMBER_ERASED"));
        given().get("/v1/members/{memberId}", memberId).then().body("region", nullValue());
    }

    @Test
    void shouldLetOnlyAPiiKeyChangeAProfile() {
        String memberId = enroll("scope." + UUID.randomUUID() + "@example.com", uniquePhone());
        Partners.TestPartner reader = Partners.create(1000, "read");

        LedgerApi.as(reader.apiKey()).contentType(MERGE_PATCH).header("If-Match", "\"1\"").body(Map.of("region", "Jeju"))
                .patch("/v1/members/{memberId}", memberId).then().statusCode(403).body("code", equalTo("FORBIDDEN_SCOPE"));
        given().get("/v1/members/{memberId}", memberId).then().body("region", equalTo("Seoul"));
    }
}
