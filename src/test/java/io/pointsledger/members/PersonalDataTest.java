package io.pointsledger.members;

import static io.pointsledger.support.LedgerApi.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pointsledger.support.Database;
import io.pointsledger.support.LedgerApi;
import io.pointsledger.support.Partners;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

@QuarkusTest
class PersonalDataTest {

    @Inject
    Pool pool;

    private static String uniquePhone() {
        return "+8210" + (10_000_000 + ThreadLocalRandom.current().nextInt(89_999_999));
    }

    private static String enroll(String email, String phone) {
        return given().contentType(ContentType.JSON)
                .body(Map.of("name", "Park Jisoo", "email", email, "phone", phone, "birthDate", "1988-07-15", "channel", "ONLINE"))
                .post("/v1/members").then().statusCode(201).extract().path("memberId");
    }

    private static Response lookUp(String apiKey, Map<String, Object> body) {
        return LedgerApi.as(apiKey).contentType(ContentType.JSON).body(body).post("/v1/members/lookups");
    }

    private static Response lookUp(Map<String, Object> body) {
        return lookUp(LedgerApi.ADMIN_KEY, body);
    }

    @Test
    void shouldKeepNoPlaintextPersonalDataInTheTable() {
        String phone = uniquePhone();
        String email = "jisoo." + UUID.randomUUID() + "@example.com";
        String memberId = enroll(email, phone);

        // The whole row, so a plaintext copy in any column would show; the birth date is searched in
        // the forms a plaintext date takes, because its year alone can occur in timestamps and ciphertext.
        String raw = Database.single(pool, "SELECT row_to_json(m)::text FROM members m WHERE member_id = $1",
                UUID.fromString(memberId)).getString(0);
        assertFalse(raw.contains("Park Jisoo"), raw);
        assertFalse(raw.contains(phone.substring(1)), raw);
        assertFalse(raw.contains(email), raw);
        assertFalse(raw.contains("jisoo."), raw);
        assertFalse(raw.contains("1988-07-15"), raw);
        assertFalse(raw.contains("19880715"), raw);
        assertTrue(raw.contains("\"phone_encrypted\":\"dev1:"), "values carry the id of the key that encrypted them");
        assertTrue(raw.contains("\"name_encrypted\":\"dev1:"), "the name is encrypted like the rest");
        given().get("/v1/members/{memberId}", memberId).then().statusCode(200)
                .body("name", equalTo("Park Jisoo")).body("phone", equalTo(phone)).body("email", equalTo(email)).body("birthDate", equalTo("1988-07-15"));
    }

    @Test
    void shouldFindMembersByExactPhoneOrEmailOnly() {
        String phone = uniquePhone();
        String email = "lookup." + UUID.randomUUID() + "@example.com";
        String memberId = enroll(email, phone);

        lookUp(Map.of("phone", phone)).then().statusCode(200)
                .body("items", hasSize(1)).body("items[0].memberId", equalTo(memberId)).body("items[0].phone", equalTo(phone));
        lookUp(Map.of("email", email.toUpperCase())).then().statusCode(200)
                .body("items", hasSize(1)).body("items[0].memberId", equalTo(memberId));
        lookUp(Map.of("phone", phone.substring(0, phone.length() - 1))).then().statusCode(200).body("items", hasSize(0));
        lookUp(Map.of()).then().statusCode(400).body("code", equalTo("VALIDATION_FAILED"));
        lookUp(Map.of("phone", phone, "email", email)).then().statusCode(400).body("code", equalTo("VALIDATION_FAILED"));
    }

    /** The value searched for would sit in URLs and access logs: the GET look-up is gone, not kept beside. */
    @Test
    void shouldNoLongerLookUpByAQueryParameter() {
        given().queryParam("phone", uniquePhone()).get("/v1/members").then().statusCode(405)
                .body("code", equalTo("METHOD_NOT_ALLOWED"));
    }

    @Test
    void shouldShowWhoAMemberIsOnlyToACallerWithThePiiScope() {
        String phone = uniquePhone();
        String email = "scoped." + UUID.randomUUID() + "@example.com";
        String memberId = enroll(email, phone);
        Partners.TestPartner reader = Partners.create(1_000, "read");
        Partners.TestPartner identifier = Partners.create(1_000, "read", "pii");

        LedgerApi.as(reader.apiKey()).get("/v1/members/{memberId}", memberId).then().statusCode(200)
                .body("memberId", equalTo(memberId)).body("available", equalTo(0)).body("channel", equalTo("ONLINE"))
                .body("externalId", nullValue()).body("name", nullValue()).body("email", nullValue())
                .body("phone", nullValue()).body("birthDate", nullValue());
        LedgerApi.as(identifier.apiKey()).get("/v1/members/{memberId}", memberId).then().statusCode(200)
                .body("name", equalTo("Park Jisoo")).body("email", equalTo(email)).body("phone", equalTo(phone))
                .body("birthDate", equalTo("1988-07-15"));
    }

    @Test
    void shouldNotEchoPersonalDataToAnEnrollingTillWithoutThePiiScope() {
        Partners.TestPartner till = Partners.create(1_000, "earn");
        LedgerApi.as(till.apiKey()).contentType(ContentType.JSON)
                .body(Map.of("externalId", "till-" + UUID.randomUUID(), "name", "Han Yuna", "phone", uniquePhone(),
                        "channel", "OFFLINE"))
                .post("/v1/members").then().statusCode(201)
                .body("memberId", notNullValue()).body("externalId", nullValue()).body("name", nullValue())
                .body("phone", nullValue());
    }

    @Test
    void shouldRefuseALookUpWithoutThePiiScope() {
        String phone = uniquePhone();
        enroll("refused." + UUID.randomUUID() + "@example.com", phone);
        Partners.TestPartner reader = Partners.create(1_000, "read", "earn", "redeem", "hold", "reverse");

        lookUp(reader.apiKey(), Map.of("phone", phone)).then().statusCode(403).body("code", equalTo("FORBIDDEN_SCOPE"));
    }

    @Test
    void shouldAuditEveryLookUpWithoutTheValueSearchedFor() {
        String phone = uniquePhone();
        String memberId = enroll("audited." + UUID.randomUUID() + "@example.com", phone);
        Partners.TestPartner identifier = Partners.create(1_000, "pii");

        lookUp(identifier.apiKey(), Map.of("phone", phone)).then().statusCode(200).body("items", hasSize(1));

        var entry = Database.single(pool, """
                SELECT actor, target, details::text FROM audit_log
                 WHERE action = 'MEMBERS_LOOKED_UP' AND actor = $1 ORDER BY sequence DESC LIMIT 1""", identifier.partnerId());
        assertEquals("phone", entry.getString("target"));
        assertTrue(entry.getString("details").contains(memberId), entry.getString("details"));
        String audit = given().queryParam("limit", 500).get("/v1/admin/audit").then().statusCode(200).extract().asString();
        assertFalse(audit.contains(phone.substring(1)), "the number searched for is nowhere in the audit log");
    }

    @Test
    void shouldEraseAMembersPersonalDataButKeepTheirLedger() {
        String phone = uniquePhone();
        String email = "erase." + UUID.randomUUID() + "@example.com";
        UUID memberId = UUID.fromString(enroll(email, phone));
        LedgerApi.earnPoints(memberId, "before-erasure-" + memberId, 250).then().statusCode(201);
        LedgerApi.redeem(memberId, "before-erasure-redeem-" + memberId, 50).then().statusCode(201);

        given().delete("/v1/members/{memberId}", memberId).then().statusCode(204);
        given().delete("/v1/members/{memberId}", memberId).then().statusCode(204);

        lookUp(Map.of("phone", phone)).then().statusCode(200).body("items", hasSize(0));
        lookUp(Map.of("email", email)).then().statusCode(200).body("items", hasSize(0));
        given().get("/v1/members/{memberId}", memberId).then().statusCode(200)
                .body("name", nullValue()).body("email", nullValue()).body("phone", nullValue())
                .body("birthDate", nullValue()).body("erasedAt", notNullValue()).body("available", equalTo(200));
        var row = Database.single(pool, """
                SELECT external_id, name, name_encrypted, email_encrypted, phone_encrypted, birth_date_encrypted,
                       email_index, phone_index
                  FROM members WHERE member_id = $1""", memberId);
        for (int column = 0; column < row.size(); column++) {
            assertEquals(null, row.getValue(column), "column " + row.getColumnName(column) + " is erased");
        }
        assertEquals(2, Database.transferCount(pool, memberId));
        LedgerApi.assertReconciles();
        given().queryParam("limit", 20).get("/v1/admin/audit").then().statusCode(200)
                .body("items.find { it.target == '" + memberId + "' }.action", equalTo("MEMBER_ERASED"));
        given().delete("/v1/members/{memberId}", UUID.randomUUID()).then().statusCode(404).body("code", equalTo("MEMBER_NOT_FOUND"));
    }
}
