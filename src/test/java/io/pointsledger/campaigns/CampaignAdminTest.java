package io.pointsledger.campaigns;

import static io.pointsledger.support.LedgerApi.as;
import static io.pointsledger.support.LedgerApi.given;
import static io.pointsledger.support.ProblemAssertions.assertProblem;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.pointsledger.support.Concurrently;
import io.pointsledger.support.Database;
import io.pointsledger.support.Partners;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The operator's side of campaigns: drafts, versions by If-Match, the lifecycle, the audit, and
 * every definition refused that could never apply as written. Campaigns made here name a SKU of
 * their own, so that they never apply to another test's earns, and are ended.
 */
@QuarkusTest
class CampaignAdminTest {

    @Inject
    Pool pool;

    @Test
    void shouldCreateADraftAndChangeItByVersionThroughItsWholeLife() {
        String sku = "SKU-ADMIN-" + UUID.randomUUID();
        Response created = create(definition("Weekend coffee", sku, 20000));
        created.then().statusCode(201).header("ETag", "\"1\"")
                .body("version", equalTo(1)).body("status", equalTo("DRAFT"))
                .body("definition.name", equalTo("Weekend coffee"))
                .body("definition.conditions.skus", equalTo(List.of(sku)));
        String campaignId = created.path("campaignId");
        assertEquals("/v1/admin/campaigns/" + campaignId, URI.create(created.header("Location")).getPath());

        given().get("/v1/admin/campaigns/{id}", campaignId).then().statusCode(200).header("ETag", "\"1\"");
        given().contentType(ContentType.JSON).body(definition("Weekend coffee, twice", sku, 30000))
                .put("/v1/admin/campaigns/{id}", campaignId).then().statusCode(428).body("code", equalTo("IF_MATCH_REQUIRED"));
        given().contentType(ContentType.JSON).header("If-Match", "\"7\"").body(definition("x", sku, 30000))
                .put("/v1/admin/campaigns/{id}", campaignId).then().statusCode(412).body("code", equalTo("CAMPAIGN_VERSION_MISMATCH"));
        given().contentType(ContentType.JSON).header("If-Match", "\"1\"").body(definition("Weekend coffee, thrice", sku, 30000))
                .put("/v1/admin/campaigns/{id}", campaignId).then().statusCode(200).header("ETag", "\"2\"")
                .body("status", equalTo("DRAFT")).body("definition.effect.multiplierBasisPoints", equalTo(30000));

        given().header("If-Match", "\"2\"").post("/v1/admin/campaigns/{id}/activate", campaignId).then()
                .statusCode(200).body("status", equalTo("ACTIVE")).body("version", equalTo(3));
        given().post("/v1/admin/campaigns/{id}/activate", campaignId).then()
                .statusCode(200).body("version", equalTo(3));
        given().get("/v1/admin/campaigns/active").then().statusCode(200).body("campaigns.campaignId", hasItem(campaignId));
        given().post("/v1/admin/campaigns/{id}/pause", campaignId).then().statusCode(200).body("status", equalTo("PAUSED"));
        given().get("/v1/admin/campaigns/active").then().statusCode(200).body("campaigns.campaignId", not(hasItem(campaignId)));
        given().post("/v1/admin/campaigns/{id}/end", campaignId).then().statusCode(200).body("status", equalTo("ENDED"))
                .body("version", equalTo(5));

        given().post("/v1/admin/campaigns/{id}/activate", campaignId).then()
                .statusCode(409).body("code", equalTo("CAMPAIGN_STATE_CONFLICT"));
        given().contentType(ContentType.JSON).header("If-Match", "5").body(definition("again", sku, 20000))
                .put("/v1/admin/campaigns/{id}", campaignId).then().statusCode(409).body("code", equalTo("CAMPAIGN_STATE_CONFLICT"));

        Response versions = given().queryParam("limit", 2).get("/v1/admin/campaigns/{id}/versions", campaignId);
        versions.then().statusCode(200).body("items.version", equalTo(List.of(5, 4)))
                .body("items.status", equalTo(List.of("ENDED", "PAUSED")));
        given().queryParam("limit", 2).queryParam("cursor", versions.<String>path("nextCursor"))
                .get("/v1/admin/campaigns/{id}/versions", campaignId).then().statusCode(200)
                .body("items.version", equalTo(List.of(3, 2)))
                .body("items[1].definition.name", equalTo("Weekend coffee, thrice"))
                .body("items[0].changedBy", equalTo("operator"));

        List<String> audited = Database.all(pool, "SELECT action FROM audit_log WHERE target = $1 ORDER BY sequence", campaignId)
                .stream().map(row -> row.getString("action")).toList();
        assertEquals(List.of("CAMPAIGN_CREATED", "CAMPAIGN_UPDATED", "CAMPAIGN_ACTIVATED", "CAMPAIGN_PAUSED", "CAMPAIGN_ENDED"),
                audited);
    }

    /** Two operators changing the same version at once: one change lands, the other is told to read again. */
    @Test
    void shouldLetOneOfTwoConcurrentChangesOfAVersionLand() throws Exception {
        String sku = "SKU-RACE-" + UUID.randomUUID();
        String campaignId = create(definition("race", sku, 20000)).path("campaignId");

        List<Integer> statuses = Concurrently.run(8, index -> given().contentType(ContentType.JSON).header("If-Match", "\"1\"")
                .body(definition("race " + index, sku, 20000 + index)).put("/v1/admin/campaigns/{id}", campaignId).statusCode());

        assertEquals(1, statuses.stream().filter(status -> status == 200).count(), statuses.toString());
        assertEquals(7, statuses.stream().filter(status -> status == 412).count(), statuses.toString());
        given().get("/v1/admin/campaigns/{id}/versions", campaignId).then().statusCode(200).body("items.version", equalTo(List.of(2, 1)));
        given().post("/v1/admin/campaigns/{id}/end", campaignId).then().statusCode(200);
    }

    @Test
    void shouldListCampaignsNewestFirstAndByStatus() {
        String sku = "SKU-LIST-" + UUID.randomUUID();
        String first = create(definition("first", sku, 20000)).path("campaignId");
        String second = create(definition("second", sku, 20000)).path("campaignId");
        given().post("/v1/admin/campaigns/{id}/end", first).then().statusCode(200);

        List<String> newest = given().queryParam("limit", 2).get("/v1/admin/campaigns").then().statusCode(200)
                .extract().path("items.campaignId");
        assertEquals(List.of(second, first), newest);
        given().queryParam("status", "ENDED").queryParam("limit", 200).get("/v1/admin/campaigns").then().statusCode(200)
                .body("items.campaignId", hasItem(first)).body("items.campaignId", not(hasItem(second)))
                .body("items.status", not(hasItem("DRAFT")));
        given().post("/v1/admin/campaigns/{id}/end", second).then().statusCode(200);
    }

    @Test
    void shouldRefuseADefinitionThatCouldNeverApplyAsWritten() {
        String sku = "SKU-BAD-" + UUID.randomUUID();
        Map<String, Object> bothEffects = definition("both", sku, 20000);
        bothEffects.put("effect", Map.of("multiplierBasisPoints", 20000, "bonusPoints", 10));
        assertProblem(create(bothEffects), 400, "VALIDATION_FAILED", "effect");
        Map<String, Object> noEffect = definition("none", sku, 20000);
        noEffect.put("effect", Map.of());
        assertProblem(create(noEffect), 400, "VALIDATION_FAILED", "effect");

        Map<String, Object> backwards = definition("backwards", sku, 20000);
        backwards.put("conditions", Map.of("window", Map.of("from", "2026-12-07T00:00:00", "until", "2026-12-05T00:00:00")));
        assertProblem(create(backwards), 400, "VALIDATION_FAILED", "conditions.window.until");
        Map<String, Object> noChannel = definition("no channel", sku, 20000);
        noChannel.put("conditions", Map.of("channels", List.of()));
        assertProblem(create(noChannel), 400, "VALIDATION_FAILED", "conditions.channels");
        Map<String, Object> timesBackwards = definition("times", sku, 20000);
        timesBackwards.put("conditions", Map.of("window", Map.of("fromTime", "11:00", "untilTime", "07:00")));
        assertProblem(create(timesBackwards), 400, "VALIDATION_FAILED", "conditions.window.untilTime");

        Map<String, Object> onceAsMuch = definition("1x", sku, 10000);
        assertProblem(create(onceAsMuch), 400, "VALIDATION_FAILED", "effect.multiplierBasisPoints");
        Map<String, Object> negativePriority = definition("priority", sku, 20000);
        negativePriority.put("priority", -1);
        assertProblem(create(negativePriority), 400, "VALIDATION_FAILED", "priority");
        Map<String, Object> unknownTrigger = definition("trigger", sku, 20000);
        unknownTrigger.put("trigger", "FULL_MOON");
        assertEquals(400, create(unknownTrigger).statusCode());
        Map<String, Object> control = definition("nul\u0000name", sku, 20000);
        assertProblem(create(control), 400, "VALIDATION_FAILED", "name");
        Map<String, Object> unknownField = definition("extra", sku, 20000);
        unknownField.put("budget", 5);
        assertEquals(400, create(unknownField).statusCode());

        assertProblem(given().get("/v1/admin/campaigns/{id}", UUID.randomUUID()), 404, "CAMPAIGN_NOT_FOUND", null);
        assertEquals(404, given().get("/v1/admin/campaigns/not-a-uuid").statusCode());
        assertProblem(given().queryParam("status", "SOMETIMES").get("/v1/admin/campaigns"), 400, "VALIDATION_FAILED", "status");
        String campaignId = create(definition("if-match", sku, 20000)).path("campaignId");
        assertProblem(given().header("If-Match", "\"soon\"").post("/v1/admin/campaigns/{id}/activate", campaignId),
                400, "VALIDATION_FAILED", "If-Match");
        given().post("/v1/admin/campaigns/{id}/end", campaignId).then().statusCode(200);
    }

    @Test
    void shouldAnswerCampaignsToTheOperatorOnly() {
        assertEquals(401, RestAssured.given().get("/v1/admin/campaigns").statusCode());
        Response created = create(definition("scoped", "SKU-SCOPE-" + UUID.randomUUID(), 20000));
        assertNotNull(created.path("campaignId"));
        String reader = Partners.create(100, "read").apiKey();
        assertEquals(403, as(reader).get("/v1/admin/campaigns").statusCode());
        assertEquals(403, as(reader).post("/v1/admin/campaigns/{id}/activate", created.<String>path("campaignId")).statusCode());
        given().post("/v1/admin/campaigns/{id}/end", created.<String>path("campaignId")).then().statusCode(200);
    }

    static Response create(Map<String, Object> definition) {
        return given().contentType(ContentType.JSON).body(definition).post("/v1/admin/campaigns");
    }

    /** A purchase campaign on items of {@code sku} only. */
    static Map<String, Object> definition(String name, String sku, int multiplierBasisPoints) {
        Map<String, Object> definition = new LinkedHashMap<>();
        definition.put("name", name);
        definition.put("trigger", "PURCHASE");
        definition.put("priority", 10);
        definition.put("conditions", Map.of("skus", List.of(sku)));
        definition.put("effect", Map.of("multiplierBasisPoints", multiplierBasisPoints));
        return definition;
    }
}
