package io.pointsledger.partners;

import static io.pointsledger.support.LedgerApi.as;
import static io.pointsledger.support.LedgerApi.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.pointsledger.support.Database;
import io.pointsledger.support.LedgerApi;
import io.pointsledger.support.Partners;
import io.pointsledger.support.Partners.TestPartner;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ApiKeyLifecycleTest {

    @Inject
    Pool pool;

    @Test
    void shouldStoreOnlyTheHashOfAKeyShownOnce() {
        TestPartner partner = Partners.create(100, "read");

        String stored = Database.single(pool, "SELECT row_to_json(k)::text FROM partner_keys k WHERE partner_id = $1",
                partner.partnerId()).getString(0);
        assertFalse(stored.contains(partner.apiKey().substring(4)), "the key itself is not stored");
        given().get("/v1/admin/partners/{partnerId}", partner.partnerId()).then()
                .statusCode(200)
                .body("keys[0].keyPrefix", equalTo(partner.apiKey().substring(0, 12)))
                .body("keys[0].apiKey", equalTo(null));
    }

    @Test
    void shouldRotateWithTwoActiveKeysAndRefuseAThird() {
        TestPartner partner = Partners.create(100, "read");
        UUID memberId = LedgerApi.enroll();
        String second = given().post("/v1/admin/partners/{partnerId}/keys", partner.partnerId())
                .then().statusCode(201).body("apiKey", startsWith("plk_")).extract().path("apiKey");

        given().post("/v1/admin/partners/{partnerId}/keys", partner.partnerId()).then()
                .statusCode(409).body("code", equalTo("ACTIVE_KEY_LIMIT_REACHED"));
        as(partner.apiKey()).get("/v1/admin/partners/{partnerId}", partner.partnerId()).then().statusCode(403);
        as(second).get("/v1/members/{memberId}", memberId).then().statusCode(200);

        given().delete("/v1/admin/partners/{partnerId}/keys/{keyId}", partner.partnerId(), partner.keyId()).then().statusCode(204);

        as(partner.apiKey()).get("/v1/members/{memberId}", memberId).then().statusCode(401).body("code", equalTo("UNAUTHENTICATED"));
        as(second).get("/v1/members/{memberId}", memberId).then().statusCode(200);
        given().post("/v1/admin/partners/{partnerId}/keys", partner.partnerId()).then().statusCode(201);
    }

    @Test
    void shouldAnswerNotFoundForUnknownPartnersAndKeys() {
        given().get("/v1/admin/partners/{partnerId}", "no-such-partner").then().statusCode(404).body("code", equalTo("PARTNER_NOT_FOUND"));
        given().post("/v1/admin/partners/{partnerId}/keys", "no-such-partner").then().statusCode(404).body("code", equalTo("PARTNER_NOT_FOUND"));
        given().delete("/v1/admin/partners/{partnerId}/keys/{keyId}", "no-such-partner", java.util.UUID.randomUUID())
                .then().statusCode(404).body("code", equalTo("API_KEY_NOT_FOUND"));
    }

    @Test
    void shouldRefuseInvalidPartners() {
        given().contentType("application/json").body(Map.of("name", "X", "scopes", List.of("fly"), "rateLimitPerSecond", 5))
                .post("/v1/admin/partners").then().statusCode(400).body("code", equalTo("MALFORMED_REQUEST"));
        given().contentType("application/json").body(Map.of("name", "X", "scopes", List.of(), "rateLimitPerSecond", 5))
                .post("/v1/admin/partners").then().statusCode(400).body("code", equalTo("VALIDATION_FAILED"));
        given().contentType("application/json").body(Map.of("name", "X", "scopes", List.of("read"), "rateLimitPerSecond", 0))
                .post("/v1/admin/partners").then().statusCode(400).body("code", equalTo("VALIDATION_FAILED"));
    }

    @Test
    void shouldAuditEveryAdministrativeAction() {
        TestPartner partner = Partners.create(100, "read");
        given().delete("/v1/admin/partners/{partnerId}/keys/{keyId}", partner.partnerId(), partner.keyId()).then().statusCode(204);

        var entries = given().queryParam("limit", 500).get("/v1/admin/audit").then().statusCode(200).extract().jsonPath();
        List<Map<String, Object>> mine = entries.<Map<String, Object>>getList("items").stream()
                .filter(entry -> partner.partnerId().equals(entry.get("target"))).toList();
        assertEquals(List.of("API_KEY_REVOKED", "API_KEY_ISSUED", "PARTNER_CREATED"),
                mine.stream().map(entry -> (String) entry.get("action")).toList(), "newest first");
        mine.forEach(entry -> assertEquals("operator", entry.get("actor")));
        given().queryParam("limit", 1).get("/v1/admin/audit").then().statusCode(200)
                .body("items.size()", equalTo(1)).body("nextCursor", org.hamcrest.Matchers.notNullValue());
    }
}
