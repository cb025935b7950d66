package io.pointsledger.campaigns;

import static io.pointsledger.support.LedgerApi.earn;
import static io.pointsledger.support.LedgerApi.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pointsledger.support.Concurrently;
import io.pointsledger.support.Database;
import io.pointsledger.support.LedgerApi;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A campaign's budget and per-member cap hold however many earns race for them: the budget row is
 * locked by every batch that may spend from it, and member grants are read under the member's
 * lock. Without those locks, concurrent transactions each see the same points left and grant them
 * twice. Every write is its own transaction here, so that the earns race as the batches of many
 * instances do (one instance has one batch in flight).
 */
@QuarkusTest
@TestProfile(io.pointsledger.support.EveryWriteOnItsOwn.class)
class CampaignBudgetTest {

    private static final int EARNS = 200;

    private final List<String> campaigns = new ArrayList<>();

    @Inject
    Pool pool;

    @AfterEach
    void endCampaigns() {
        TestCampaigns.endAll(campaigns);
    }

    @Test
    void shouldGrantExactlyFiftyBonusesWhenTwoHundredEarnsRaceForABudgetOfFifty() throws Exception {
        String sku = "SKU-BUDGET-" + UUID.randomUUID();
        String campaignId = TestCampaigns.activate(campaigns, budgeted("fifty bonuses", 10, sku, Map.of("totalPoints", 500)));
        List<UUID> members = IntStream.range(0, 50).mapToObj(index -> LedgerApi.enroll()).toList();

        List<Response> earns = Concurrently.run(EARNS, index -> earn(members.get(index % members.size()),
                "budget-" + index + "-" + campaignId, TestCampaigns.purchase(sku, null)));

        earns.forEach(response -> response.then().statusCode(201));
        long withBonus = earns.stream().filter(response -> !response.jsonPath().getList("bonuses").isEmpty()).count();
        long bonusPoints = earns.stream().mapToLong(response -> response.jsonPath().getLong("points") - 20).sum();
        assertEquals(50, withBonus, "earns that got the bonus");
        assertEquals(500, bonusPoints, "bonus points granted in all");
        given().get("/v1/admin/campaigns/{id}", campaignId).then().statusCode(200).body("budgetGranted", equalTo(500));
        assertEquals(500, Database.single(pool, "SELECT granted FROM campaign_budgets WHERE campaign_id = $1",
                UUID.fromString(campaignId)).getLong(0));
        LedgerApi.assertReconciles();
    }

    @Test
    void shouldNeverGrantOneMemberMoreThanTheCapWhenTheirEarnsRace() throws Exception {
        String sku = "SKU-CAP-" + UUID.randomUUID();
        String campaignId = TestCampaigns.activate(campaigns, budgeted("capped", 10, sku, Map.of("perMemberPoints", 25)));
        UUID memberId = LedgerApi.enroll();
        UUID otherMemberId = LedgerApi.enroll();

        List<Response> earns = Concurrently.run(20, index -> earn(memberId, "cap-" + index + "-" + memberId,
                TestCampaigns.purchase(sku, null)));

        earns.forEach(response -> response.then().statusCode(201));
        assertEquals(20 * 20 + 25, LedgerApi.available(memberId), "10, 10, then the 5 left of the cap");
        earn(otherMemberId, "cap-other-" + otherMemberId, TestCampaigns.purchase(sku, null)).then().statusCode(201)
                .body("bonuses[0].points", equalTo(10));
        assertEquals(25, Database.single(pool,
                "SELECT granted FROM campaign_member_grants WHERE member_id = $1 AND campaign_id = $2", memberId,
                UUID.fromString(campaignId)).getLong(0));
        LedgerApi.assertReconciles();
    }

    /** A spent campaign is one that does not apply: an exclusive one no longer keeps the next from applying. */
    @Test
    void shouldLetTheNextCampaignApplyOnceAnExclusiveCampaignsBudgetIsSpent() {
        String sku = "SKU-SPENT-" + UUID.randomUUID();
        Map<String, Object> exclusive = budgeted("exclusive, one bonus", 100, sku, Map.of("totalPoints", 100));
        exclusive.put("priority", 20);
        exclusive.put("exclusive", true);
        String first = TestCampaigns.activate(campaigns, exclusive);
        String next = TestCampaigns.activate(campaigns, TestCampaigns.campaign("next", 10, false,
                Map.of("skus", List.of(sku)), Map.of("bonusPoints", 7)));
        UUID memberId = LedgerApi.enroll();

        earn(memberId, "spent-1-" + memberId, TestCampaigns.purchase(sku, null)).then().statusCode(201)
                .body("bonuses.campaignId", equalTo(List.of(first))).body("points", equalTo(120));
        earn(memberId, "spent-2-" + memberId, TestCampaigns.purchase(sku, null)).then().statusCode(201)
                .body("bonuses.campaignId", equalTo(List.of(next))).body("points", equalTo(27));
    }

    /** An instance's copy may lag a change: a budget changed mid-run could be passed unseen, so it cannot change. */
    @Test
    void shouldKeepTheBudgetOfACampaignThatHasRunAsItWas() {
        String sku = "SKU-FIXED-" + UUID.randomUUID();
        Map<String, Object> definition = budgeted("fixed", 10, sku, Map.of("totalPoints", 500));
        String campaignId = TestCampaigns.activate(campaigns, definition);
        definition.put("budget", Map.of("totalPoints", 100));

        given().contentType(io.restassured.http.ContentType.JSON).header("If-Match", "*").body(definition)
                .put("/v1/admin/campaigns/{id}", campaignId).then().statusCode(409).body("code", equalTo("CAMPAIGN_STATE_CONFLICT"));
        definition.put("budget", Map.of("totalPoints", 500));
        definition.put("name", "renamed, same budget");
        given().contentType(io.restassured.http.ContentType.JSON).header("If-Match", "*").body(definition)
                .put("/v1/admin/campaigns/{id}", campaignId).then().statusCode(200);
    }

    private static Map<String, Object> budgeted(String name, long bonusPoints, String sku, Map<String, Object> budget) {
        Map<String, Object> definition = TestCampaigns.campaign(name, 10, false, Map.of("skus", List.of(sku)),
                Map.of("bonusPoints", bonusPoints));
        definition.put("budget", budget);
        return definition;
    }
}
