package io.pointsledger.audit;

import static io.pointsledger.support.LedgerApi.as;
import static io.pointsledger.support.LedgerApi.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.pointsledger.support.LedgerApi;
import io.pointsledger.support.Partners;
import io.pointsledger.support.Partners.TestPartner;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The audit log names the key that acted, not only its partner: a partner holds two keys while
 * rotating, and after a leak what the leaked key did must be told from what its sibling did.
 */
@QuarkusTest
class AuditKeyTest {

    @Test
    void shouldRecordWhichOfAPartnersKeysActed() {
        TestPartner administrator = Partners.create(100, "admin");
        var second = given().post("/v1/admin/partners/{partnerId}/keys", administrator.partnerId())
                .then().statusCode(201).extract().jsonPath();

        String createdWithFirst = createPartnerAs(administrator.apiKey());
        String createdWithSecond = createPartnerAs(second.getString("apiKey"));
        UUID erasedWithFirst = LedgerApi.enroll();
        as(administrator.apiKey()).delete("/v1/members/{id}", erasedWithFirst).then().statusCode(204);

        Map<String, Object> first = entryFor(createdWithFirst, "PARTNER_CREATED");
        assertEquals(administrator.partnerId(), first.get("actor"));
        assertEquals(administrator.keyId(), first.get("apiKeyId"));
        Map<String, Object> sibling = entryFor(createdWithSecond, "PARTNER_CREATED");
        assertEquals(administrator.partnerId(), sibling.get("actor"));
        assertEquals(second.getString("keyId"), sibling.get("apiKeyId"), "the same partner's other key is told apart");
        assertEquals(administrator.keyId(), entryFor(erasedWithFirst.toString(), "MEMBER_ERASED").get("apiKeyId"));

        // Partners.create issued the administrator's first key with the operator's bootstrap key: no stored key.
        Map<String, Object> issued = entryFor(administrator.partnerId(), "API_KEY_ISSUED");
        assertEquals("operator", issued.get("actor"));
        assertNull(issued.get("apiKeyId"));
        given().queryParam("limit", 500).get("/v1/admin/audit").then().body("items.apiKeyId", hasItem(administrator.keyId()));
    }

    @Test
    void shouldRecordWhichKeyAdjustedAMembersPoints() {
        TestPartner administrator = Partners.create(100, "admin");
        UUID memberId = LedgerApi.enroll();
        as(administrator.apiKey()).contentType("application/json").header("Idempotency-Key", "audited-" + memberId)
                .body(Map.of("points", 150, "reason", "Goodwill"))
                .post("/v1/admin/members/{memberId}/adjustments", memberId).then().statusCode(201);

        Map<String, Object> adjusted = entryFor(memberId.toString(), "POINTS_ADJUSTED");
        assertEquals(administrator.partnerId(), adjusted.get("actor"));
        assertEquals(administrator.keyId(), adjusted.get("apiKeyId"), "written in the same statement as the adjustment");
    }

    @Test
    void shouldDescribeTheKeyInTheOpenApiDocument() {
        given().queryParam("format", "json").get("/q/openapi").then().statusCode(200)
                .body("components.schemas.AuditEntry.properties.apiKeyId", notNullValue())
                .body("components.schemas.AuditEntry.properties.apiKeyId.format", equalTo("uuid"));
    }

    private static String createPartnerAs(String apiKey) {
        return as(apiKey).contentType("application/json")
                .body(Map.of("name", "Audited", "scopes", List.of("read"), "rateLimitPerSecond", 1))
                .post("/v1/admin/partners").then().statusCode(201).extract().path("partnerId");
    }

    private static Map<String, Object> entryFor(String target, String action) {
        List<Map<String, Object>> items = given().queryParam("limit", 500).get("/v1/admin/audit").then().statusCode(200)
                .extract().jsonPath().getList("items");
        return items.stream().filter(entry -> target.equals(entry.get("target")) && action.equals(entry.get("action")))
                .findFirst().orElseThrow(() -> new AssertionError("no " + action + " entry for " + target));
    }
}
