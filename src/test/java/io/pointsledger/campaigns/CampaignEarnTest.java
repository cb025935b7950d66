package io.pointsledger.campaigns;

import static io.pointsledger.support.LedgerApi.as;
import static io.pointsledger.support.LedgerApi.earn;
import static io.pointsledger.support.LedgerApi.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pointsledger.support.Database;
import io.pointsledger.support.LedgerApi;
import io.pointsledger.support.Partners;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Campaigns applied to earns, through the one write path: a bonus only inside its window and only
 * for its items, stacking by priority and exclusivity, one transfer carrying the bonus with the
 * campaign version that decided it, and a reversal taking the bonus back in proportion. The
 * program's time zone is UTC here (CampaignRulesTest takes others). Each campaign names a SKU of
 * its own and is ended after the test, so that no other test's earn meets it.
 */
@QuarkusTest
class CampaignEarnTest {

    private final List<String> campaigns = new ArrayList<>();

    @Inject
    Pool pool;

    @AfterEach
    void endCampaigns() {
        TestCampaigns.endAll(campaigns);
    }

    @Test
    void shouldMultiplyThePointsOfTheQualifyingItemsOnlyInsideTheWindow() {
        String sku = "SKU-WINDOW-" + UUID.randomUUID();
        LocalDateTime now = LocalDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS);
        Map<String, Object> conditions = Map.of("skus", List.of(sku),
                "window", Map.of("from", now.minusHours(1).toString(), "until", now.plusHours(1).toString()));
        String campaignId = activate(campaign("double", 10, false, conditions, Map.of("multiplierBasisPoints", 20000)));
        UUID memberId = LedgerApi.enroll();

        // USD 20.00, half of it on the campaign's SKU: 20 points, and 10 more for the half that qualifies.
        Map<String, Object> insideWindow = purchase(sku, null);
        Response inside = earn(memberId, "inside-" + memberId, insideWindow);
        inside.then().statusCode(201).body("points", equalTo(30))
                .body("bonuses", equalTo(List.of(Map.of("campaignId", campaignId, "campaignVersion", 2, "points", 10))));
        earn(memberId, "before-" + memberId, purchase(sku, OffsetDateTime.now(ZoneOffset.UTC).minusHours(3)))
                .then().statusCode(201).body("points", equalTo(20)).body("bonuses", equalTo(List.of()));
        earn(memberId, "other-items-" + memberId, purchase("SKU-NOT-IN-IT", null))
                .then().statusCode(201).body("points", equalTo(20)).body("bonuses", equalTo(List.of()));

        JsonObject metadata = new JsonObject(Database.single(pool, "SELECT metadata::text FROM transfers WHERE transfer_id = $1",
                UUID.fromString(inside.path("transactionId"))).getString(0));
        assertEquals(campaignId, metadata.getJsonArray("bonuses").getJsonObject(0).getString("campaignId"));
        assertEquals(2, metadata.getJsonArray("bonuses").getJsonObject(0).getLong("campaignVersion"));

        given().post("/v1/admin/campaigns/{id}/end", campaignId).then().statusCode(200);
        earn(memberId, "after-end-" + memberId, purchase(sku, null))
                .then().statusCode(201).body("points", equalTo(20)).body("bonuses", equalTo(List.of()));
        // The retry of an earn decided while the campaign ran replays that answer, bonus included.
        earn(memberId, "inside-" + memberId, insideWindow).then().statusCode(201)
                .header("Idempotent-Replayed", "true").body("points", equalTo(30))
                .body("bonuses[0].campaignId", equalTo(campaignId));
        assertEquals(30 + 20 + 20 + 20, LedgerApi.available(memberId));
        LedgerApi.assertReconciles();
    }

    @Test
    void shouldStackCampaignsByPriorityAndLetAnExclusiveOneApplyAlone() {
        String sku = "SKU-STACK-" + UUID.randomUUID();
        Map<String, Object> onSku = Map.of("skus", List.of(sku));
        String doubled = activate(campaign("double", 10, false, onSku, Map.of("multiplierBasisPoints", 20000)));
        String seven = activate(campaign("seven more", 5, false, onSku, Map.of("bonusPoints", 7)));
        UUID memberId = LedgerApi.enroll();

        earn(memberId, "both-" + memberId, purchase(sku, null)).then().statusCode(201).body("points", equalTo(20 + 10 + 7))
                .body("bonuses.campaignId", equalTo(List.of(doubled, seven))).body("bonuses.points", equalTo(List.of(10, 7)));

        String alone = activate(campaign("alone", 20, true, onSku, Map.of("bonusPoints", 100)));
        earn(memberId, "alone-" + memberId, purchase(sku, null)).then().statusCode(201).body("points", equalTo(20 + 100))
                .body("bonuses.campaignId", equalTo(List.of(alone)));

        given().post("/v1/admin/campaigns/{id}/pause", alone).then().statusCode(200);
        String skipped = activate(campaign("skipped", 1, true, onSku, Map.of("bonusPoints", 50)));
        earn(memberId, "skipped-" + memberId, purchase(sku, null)).then().statusCode(201).body("points", equalTo(37))
                .body("bonuses.campaignId", equalTo(List.of(doubled, seven)));
        given().get("/v1/admin/campaigns/active").then().statusCode(200)
                .body("campaigns.campaignId", hasItem(skipped));
        assertEquals(37 + 120 + 37, LedgerApi.available(memberId));
    }

    @Test
    void shouldTakeBackTheBonusInProportionWhenAnEarnIsReversed() {
        String sku = "SKU-RETURN-" + UUID.randomUUID();
        activate(campaign("triple", 10, false, Map.of("skus", List.of(sku)), Map.of("multiplierBasisPoints", 30000)));
        UUID memberId = LedgerApi.enroll();
        Map<String, Object> allQualifying = purchase(sku, null);
        allQualifying.put("items", List.of(Map.of("sku", sku, "quantity", 2, "unitPrice", 1000)));

        String earned = earn(memberId, "earn-" + memberId, allQualifying).then().statusCode(201)
                .body("points", equalTo(60)).body("bonuses[0].points", equalTo(40)).extract().path("transactionId");

        // One of the two items returned: half of the points, the bonus's half included.
        reverse(earned, 30).then().statusCode(201).body("points", equalTo(30));
        assertEquals(30, LedgerApi.available(memberId));
        reverse(earned, null).then().statusCode(201).body("points", equalTo(30));
        assertEquals(0, LedgerApi.available(memberId));
        LedgerApi.assertReconciles();
    }

    /**
     * A partner's settlement separates what the program's rule issued on its purchases from what
     * campaigns added, which the program funds; points an operator states are a grant, not multiplied.
     */
    @Test
    void shouldSettleBonusesApartAndLeaveStatedPointsAsTheyAre() {
        String sku = "SKU-SETTLE-" + UUID.randomUUID();
        String campaignId = activate(campaign("double", 10, false, Map.of("skus", List.of(sku)),
                Map.of("multiplierBasisPoints", 20000)));
        assertEquals("object", Database.single(pool, "SELECT jsonb_typeof(definition) FROM campaigns WHERE campaign_id = $1",
                UUID.fromString(campaignId)).getString(0), "the definition is stored as a JSON object, queryable");
        Partners.TestPartner shop = Partners.create(100, "earn");
        UUID memberId = LedgerApi.enroll();
        OffsetDateTime from = OffsetDateTime.now(ZoneOffset.UTC).minusMinutes(1);

        as(shop.apiKey()).contentType(ContentType.JSON).header("Idempotency-Key", UUID.randomUUID().toString())
                .body(purchase(sku, null)).post("/v1/members/{id}/earn", memberId)
                .then().statusCode(201).body("points", equalTo(30));
        Map<String, Object> stated = purchase(sku, null);
        stated.put("points", 7);
        earn(memberId, "stated-" + memberId, stated).then().statusCode(201).body("points", equalTo(7))
                .body("bonuses", equalTo(List.of()));

        given().queryParam("from", from.toString()).queryParam("to", OffsetDateTime.now(ZoneOffset.UTC).plusMinutes(1).toString())
                .get("/v1/admin/settlement").then().statusCode(200)
                .body("partners.find { it.partnerId == '" + shop.partnerId() + "' }.pointsIssued", equalTo(20))
                .body("partners.find { it.partnerId == '" + shop.partnerId() + "' }.campaignBonuses", equalTo(10))
                .body("partners.find { it.partnerId == '" + shop.partnerId() + "' }.net", equalTo(30));
    }

    private String activate(Map<String, Object> definition) {
        return TestCampaigns.activate(campaigns, definition);
    }

    private static Map<String, Object> campaign(String name, int priority, boolean exclusive, Map<String, Object> conditions,
            Map<String, Object> effect) {
        return TestCampaigns.campaign(name, priority, exclusive, conditions, effect);
    }

    private static Map<String, Object> purchase(String sku, OffsetDateTime occurredAt) {
        return TestCampaigns.purchase(sku, occurredAt);
    }

    private static Response reverse(String transactionId, Integer points) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("reason", "returned");
        if (points != null) {
            body.put("points", points);
        }
        return given().contentType(ContentType.JSON).header("Idempotency-Key", UUID.randomUUID().toString()).body(body)
                .post("/v1/transactions/{id}/reverse", transactionId);
    }
}
