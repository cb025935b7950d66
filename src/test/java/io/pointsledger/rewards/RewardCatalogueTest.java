package io.pointsledger.rewards;

import static io.pointsledger.support.LedgerApi.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pointsledger.donations.DonationTestSupport;
import io.pointsledger.support.LedgerApi;
import io.pointsledger.support.Partners;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
class RewardCatalogueTest {

    @Test
    void shouldRefuseAStockChangeRetriedAgainstTheVersionItMovedSoItAppliesOnce() {
        UUID rewardId = Rewards.create(Rewards.product(100, 10L));
        given().contentType(ContentType.JSON).header("If-Match", "\"1\"").body(Map.of("change", 20))
                .post("/v1/admin/rewards/{rewardId}/stock", rewardId).then().statusCode(200)
                .body("stock", equalTo(30)).body("version", equalTo(2));

        given().contentType(ContentType.JSON).header("If-Match", "\"1\"").body(Map.of("change", 20))
                .post("/v1/admin/rewards/{rewardId}/stock", rewardId).then().statusCode(412)
                .body("code", equalTo("REWARD_VERSION_MISMATCH"));
        Rewards.reward(rewardId).then().body("stock", equalTo(30));
    }

    @Test
    void shouldNeverTakeStockBelowZeroNorGiveStockToARewardWithoutALimit() {
        UUID limited = Rewards.create(Rewards.product(100, 2L));
        UUID unlimited = Rewards.create(Rewards.product(100, null));

        given().contentType(ContentType.JSON).header("If-Match", "*").body(Map.of("change", -3))
                .post("/v1/admin/rewards/{rewardId}/stock", limited).then().statusCode(409)
                .body("code", equalTo("REWARD_STOCK_CONFLICT"));
        given().contentType(ContentType.JSON).header("If-Match", "*").body(Map.of("change", 3))
                .post("/v1/admin/rewards/{rewardId}/stock", unlimited).then().statusCode(409)
                .body("code", equalTo("REWARD_STOCK_CONFLICT"));
        Rewards.reward(limited).then().body("stock", equalTo(2)).body("version", equalTo(1));
    }

    @Test
    void shouldHideARetiredRewardAndRefuseItsClaims() {
        UUID rewardId = Rewards.create(Rewards.product(10, 5L));
        UUID memberId = LedgerApi.enrollWithPoints(100);
        given().post("/v1/admin/rewards/{rewardId}/retire", rewardId).then().statusCode(200).body("status", equalTo("RETIRED"));

        List<String> seen = given().get("/v1/members/{memberId}/rewards?limit=200", memberId).then().statusCode(200)
                .extract().jsonPath().getList("items.rewardId");
        assertFalse(seen.contains(rewardId.toString()));
        Rewards.claim(memberId, rewardId, "retired-" + memberId).then().statusCode(404).body("code", equalTo("REWARD_NOT_FOUND"));
    }

    @Test
    void shouldRefuseAMatchingBudgetRaiseRetriedAgainstTheVersionItMoved() {
        UUID causeId = DonationTestSupport.createCause(1000, 10);
        given().contentType(ContentType.JSON).header("If-Match", "\"1\"").body(Map.of("addPoints", 100))
                .post("/v1/admin/causes/{causeId}/matching-budget", causeId).then().statusCode(200)
                .body("matching.budgetPoints", equalTo(110)).body("version", equalTo(2));

        given().contentType(ContentType.JSON).header("If-Match", "\"1\"").body(Map.of("addPoints", 100))
                .post("/v1/admin/causes/{causeId}/matching-budget", causeId).then().statusCode(412)
                .body("code", equalTo("CAUSE_VERSION_MISMATCH"));
        given().get("/v1/admin/causes/{causeId}", causeId).then().body("matching.budgetPoints", equalTo(110));
    }

    @Test
    void shouldListToAFulfilmentPartnerTheClaimsOfItsRewardsOnlyAndLetItHandThemOverWithoutABody() {
        Partners.TestPartner courier = Partners.create(1000, "redeem");
        Map<String, Object> shipped = Rewards.product(10, null);
        shipped.put("fulfilmentPartnerId", courier.partnerId());
        UUID courierReward = Rewards.create(shipped);
        UUID otherReward = Rewards.create(Rewards.product(10, null));
        UUID memberId = LedgerApi.enrollWithPoints(100);
        String courierClaim = Rewards.claim(memberId, courierReward, "courier-" + memberId).then().statusCode(201)
                .extract().path("claimId");
        String otherClaim = Rewards.claim(memberId, otherReward, "other-" + memberId).then().statusCode(201)
                .extract().path("claimId");

        List<String> listed = LedgerApi.as(courier.apiKey()).get("/v1/reward-claims?status=CLAIMED&limit=200")
                .then().statusCode(200).extract().jsonPath().getList("items.claimId");
        assertEquals(List.of(courierClaim), listed);
        LedgerApi.as(courier.apiKey()).post("/v1/reward-claims/{claimId}/fulfilment", otherClaim).then().statusCode(404)
                .body("code", equalTo("CLAIM_NOT_FOUND"));

        // No body and no Content-Type, as a till sends it.
        RestAssured.given().header("Authorization", "Bearer " + courier.apiKey())
                .post("/v1/reward-claims/{claimId}/fulfilment", courierClaim).then().statusCode(200)
                .body("status", equalTo("FULFILLED")).body("fulfilmentReference", equalTo(null));
        assertTrue(LedgerApi.as(courier.apiKey()).get("/v1/reward-claims?status=CLAIMED&limit=200").then().statusCode(200)
                .extract().jsonPath().getList("items.claimId").isEmpty());
    }

    @Test
    void shouldCancelAClaimSentWithoutABody() {
        UUID rewardId = Rewards.create(Rewards.product(10, 1L));
        UUID memberId = LedgerApi.enrollWithPoints(10);
        String claimId = Rewards.claim(memberId, rewardId, "bodyless-" + memberId).then().statusCode(201).extract().path("claimId");

        RestAssured.given().header("Authorization", "Bearer " + LedgerApi.ADMIN_KEY).header("Idempotency-Key", "bodyless-cancel-" + claimId)
                .post("/v1/members/{memberId}/reward-claims/{claimId}/cancellation", memberId, claimId)
                .then().statusCode(200).body("status", equalTo("CANCELLED"));
        assertEquals(10, LedgerApi.available(memberId));
    }
}
