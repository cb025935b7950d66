package io.pointsledger.rewards;

import static io.pointsledger.support.LedgerApi.enrollWithPoints;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pointsledger.support.Concurrently;
import io.pointsledger.support.Database;
import io.pointsledger.support.LedgerApi;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.inject.Inject;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

@QuarkusTest
class RewardClaimTest {

    private static final long PRICE = 100;

    @Inject
    Pool pool;

    @Test
    void shouldSellExactlyTheStockWhenOneHundredMembersClaimTenUnitsAtOnce() throws Exception {
        UUID rewardId = Rewards.create(Rewards.product(PRICE, 10L));
        assertClaimRaceSellsExactly(rewardId, 10);
    }

    @Test
    void shouldSeatExactlyTheCapacityWhenOneHundredMembersClaimTenSeatsAtOnce() throws Exception {
        OffsetDateTime startsAt = OffsetDateTime.now(ZoneOffset.UTC).plusDays(10);
        UUID rewardId = Rewards.create(Rewards.experience(PRICE, 10, startsAt, null));
        assertClaimRaceSellsExactly(rewardId, 10);
    }

    private void assertClaimRaceSellsExactly(UUID rewardId, int stock) throws Exception {
        List<UUID> members = new ArrayList<>();
        for (int index = 0; index < 100; index++) {
            members.add(enrollWithPoints(PRICE));
        }

        List<Response> responses = Concurrently.run(100, index -> Rewards.claim(members.get(index), rewardId,
                "claim-race-" + members.get(index)));

        Map<Integer, Long> statuses = responses.stream().collect(Collectors.groupingBy(Response::statusCode, Collectors.counting()));
        assertEquals(Map.of(201, (long) stock, 409, 100L - stock), statuses);
        responses.stream().filter(response -> response.statusCode() == 409)
                .forEach(response -> assertEquals("OUT_OF_STOCK", response.jsonPath().getString("code")));
        Rewards.reward(rewardId).then().statusCode(200)
                .body("stock", org.hamcrest.Matchers.equalTo(0)).body("claimed", org.hamcrest.Matchers.equalTo(stock));
        long spent = members.stream().mapToLong(member -> PRICE - LedgerApi.available(member)).sum();
        assertEquals(stock * PRICE, spent, "points were debited for the claims made, and only for them");
        assertEquals(stock, Database.single(pool, "SELECT count(*) FROM transfers WHERE kind = 'REWARD_CLAIM' "
                + "AND metadata ->> 'rewardId' = $1", rewardId.toString()).getLong(0));
        LedgerApi.assertReconciles();
    }

    @Test
    void shouldApplyARetriedClaimOnce() {
        UUID rewardId = Rewards.create(Rewards.product(PRICE, 5L));
        UUID memberId = enrollWithPoints(1000);
        String key = "claim-once-" + memberId;

        Response first = Rewards.claim(memberId, rewardId, key);
        Response retry = Rewards.claim(memberId, rewardId, key);

        first.then().statusCode(201);
        retry.then().statusCode(201).header("Idempotent-Replayed", "true");
        assertEquals(first.jsonPath().getString("claimId"), retry.jsonPath().getString("claimId"));
        assertEquals(1000 - PRICE, LedgerApi.available(memberId));
        Rewards.reward(rewardId).then().body("stock", org.hamcrest.Matchers.equalTo(4));
    }

    @Test
    void shouldRefuseAClaimAboveTheAvailablePointsWithoutTakingStock() {
        UUID rewardId = Rewards.create(Rewards.product(PRICE, 5L));
        UUID memberId = enrollWithPoints(PRICE - 1);

        Response refused = Rewards.claim(memberId, rewardId, "claim-short-" + memberId);

        refused.then().statusCode(409).contentType("application/problem+json")
                .body("code", org.hamcrest.Matchers.equalTo("INSUFFICIENT_POINTS"));
        Rewards.reward(rewardId).then().body("stock", org.hamcrest.Matchers.equalTo(5))
                .body("claimed", org.hamcrest.Matchers.equalTo(0));
        assertEquals(PRICE - 1, LedgerApi.available(memberId));
    }

    @Test
    void shouldGiveACancelledClaimsPointsBackToTheLotsTheyCameFromAndItsUnitBackToStock() {
        UUID rewardId = Rewards.create(Rewards.product(150, 3L));
        UUID memberId = LedgerApi.enroll();
        earnDaysAgo(memberId, 100, 20);
        earnDaysAgo(memberId, 100, 5);
        List<Row> lotsBefore = lots(memberId);

        Response claim = Rewards.claim(memberId, rewardId, "claim-then-cancel-" + memberId);
        claim.then().statusCode(201);
        assertEquals(List.of(0L, 50L), lots(memberId).stream().map(row -> row.getLong("remaining")).toList(),
                "the soonest-expiring lot is spent first");
        UUID claimId = UUID.fromString(claim.jsonPath().getString("claimId"));

        Response cancelled = Rewards.cancel(memberId, claimId, "cancel-" + claimId);

        cancelled.then().statusCode(200).body("status", org.hamcrest.Matchers.equalTo("CANCELLED"))
                .body("available", org.hamcrest.Matchers.equalTo(200));
        List<Row> lotsAfter = lots(memberId);
        assertEquals(2, lotsAfter.size(), "the points went back to their lots, not into a new one");
        for (int index = 0; index < 2; index++) {
            assertEquals(lotsBefore.get(index).getLong("lot_id"), lotsAfter.get(index).getLong("lot_id"));
            assertEquals(lotsBefore.get(index).getOffsetDateTime("expires_at").toInstant(),
                    lotsAfter.get(index).getOffsetDateTime("expires_at").toInstant());
            assertEquals(100L, lotsAfter.get(index).getLong("remaining"));
        }
        Rewards.reward(rewardId).then().body("stock", org.hamcrest.Matchers.equalTo(3))
                .body("claimed", org.hamcrest.Matchers.equalTo(0));
        Rewards.cancel(memberId, claimId, "cancel-again-" + claimId).then().statusCode(409)
                .body("code", org.hamcrest.Matchers.equalTo("CLAIM_NOT_PENDING"));
        LedgerApi.assertReconciles();
    }

    @Test
    void shouldNotCancelAFulfilledClaim() {
        UUID rewardId = Rewards.create(Rewards.product(PRICE, 3L));
        UUID memberId = enrollWithPoints(PRICE);
        UUID claimId = UUID.fromString(Rewards.claim(memberId, rewardId, "claim-fulfil-" + memberId)
                .then().statusCode(201).extract().path("claimId"));

        Rewards.fulfil(claimId).then().statusCode(200).body("status", org.hamcrest.Matchers.equalTo("FULFILLED"))
                .body("fulfilmentReference", org.hamcrest.Matchers.equalTo("shipment 1"));
        Rewards.fulfil(claimId).then().statusCode(200).body("status", org.hamcrest.Matchers.equalTo("FULFILLED"));

        Rewards.cancel(memberId, claimId, "cancel-fulfilled-" + claimId).then().statusCode(409)
                .body("code", org.hamcrest.Matchers.equalTo("CLAIM_NOT_PENDING"));
        assertEquals(0, LedgerApi.available(memberId));
        Rewards.reward(rewardId).then().body("stock", org.hamcrest.Matchers.equalTo(2));
    }

    @Test
    void shouldNotFulfilACancelledClaim() {
        UUID rewardId = Rewards.create(Rewards.product(PRICE, 3L));
        UUID memberId = enrollWithPoints(PRICE);
        UUID claimId = UUID.fromString(Rewards.claim(memberId, rewardId, "claim-cancel-" + memberId)
                .then().statusCode(201).extract().path("claimId"));
        Rewards.cancel(memberId, claimId, "cancel-" + claimId).then().statusCode(200);

        Rewards.fulfil(claimId).then().statusCode(409).body("code", org.hamcrest.Matchers.equalTo("CLAIM_NOT_PENDING"));
    }

    @Test
    void shouldHideAGoldOnlyRewardFromABasicMemberAndRefuseTheirClaim() {
        Map<String, Object> body = Rewards.product(PRICE, 3L);
        body.put("eligibility", Map.of("tiers", List.of("GOLD")));
        UUID rewardId = Rewards.create(body);
        UUID basic = enrollWithPoints(1000);
        UUID gold = enrollWithPoints(1000);
        makeGold(gold);

        List<String> seenByBasic = LedgerApi.given().get("/v1/members/{memberId}/rewards?limit=200", basic)
                .then().statusCode(200).extract().jsonPath().getList("items.rewardId");
        assertFalse(seenByBasic.contains(rewardId.toString()));
        Rewards.claim(basic, rewardId, "claim-basic-" + basic).then().statusCode(404)
                .body("code", org.hamcrest.Matchers.equalTo("REWARD_NOT_FOUND"));

        List<String> seenByGold = LedgerApi.given().get("/v1/members/{memberId}/rewards?limit=200", gold)
                .then().statusCode(200).extract().jsonPath().getList("items.rewardId");
        assertTrue(seenByGold.contains(rewardId.toString()));
        Rewards.claim(gold, rewardId, "claim-gold-" + gold).then().statusCode(201);
        assertEquals(1000, LedgerApi.available(basic));
    }

    @Test
    void shouldChargeEachTierItsOwnPriceAndRefuseAClaimExpectingAnother() {
        Map<String, Object> body = Rewards.product(PRICE, null);
        body.put("pointsByTier", Map.of("GOLD", 60));
        UUID rewardId = Rewards.create(body);
        UUID gold = enrollWithPoints(1000);
        makeGold(gold);

        Rewards.claimAs(LedgerApi.given(), gold, rewardId, "claim-expect-" + gold, Map.of("channel", "POS", "expectedPoints", PRICE))
                .then().statusCode(409).body("code", org.hamcrest.Matchers.equalTo("PRICE_CHANGED"));
        Rewards.claimAs(LedgerApi.given(), gold, rewardId, "claim-tier-price-" + gold, Map.of("channel", "POS", "expectedPoints", 60))
                .then().statusCode(201).body("points", org.hamcrest.Matchers.equalTo(60));
        assertEquals(940, LedgerApi.available(gold));
    }

    @Test
    void shouldStopAMemberAtTheirLimitUntilTheyCancelOne() {
        Map<String, Object> body = Rewards.product(PRICE, null);
        body.put("perMemberLimit", 1);
        UUID rewardId = Rewards.create(body);
        UUID memberId = enrollWithPoints(1000);
        UUID claimId = UUID.fromString(Rewards.claim(memberId, rewardId, "limit-1-" + memberId)
                .then().statusCode(201).extract().path("claimId"));

        Rewards.claim(memberId, rewardId, "limit-2-" + memberId).then().statusCode(409)
                .body("code", org.hamcrest.Matchers.equalTo("CLAIM_LIMIT_REACHED"));
        Rewards.cancel(memberId, claimId, "limit-cancel-" + memberId).then().statusCode(200);
        Rewards.claim(memberId, rewardId, "limit-3-" + memberId).then().statusCode(201);
    }

    @Test
    void shouldCloseAMembersCancellationAtTheEventsCutOffButNotTheOperators() {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        UUID rewardId = Rewards.create(Rewards.experience(PRICE, 5, now.plusDays(3), now.plusSeconds(2)));
        UUID memberId = enrollWithPoints(PRICE);
        String partnerKey = io.pointsledger.support.Partners.create(1000, "redeem", "read").apiKey();
        UUID claimId = UUID.fromString(Rewards.claimAs(LedgerApi.as(partnerKey), memberId, rewardId, "cutoff-" + memberId,
                Map.of("channel", "POS")).then().statusCode(201).extract().path("claimId"));

        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                .until(() -> OffsetDateTime.now(ZoneOffset.UTC).isAfter(now.plusSeconds(3)));
        LedgerApi.as(partnerKey).contentType(ContentType.JSON).header("Idempotency-Key", "cutoff-cancel-" + claimId)
                .post("/v1/members/{memberId}/reward-claims/{claimId}/cancellation", memberId, claimId)
                .then().statusCode(409).body("code", org.hamcrest.Matchers.equalTo("CANCELLATION_CLOSED"));
        Rewards.cancel(memberId, claimId, "cutoff-operator-" + claimId).then().statusCode(200);
        assertEquals(PRICE, LedgerApi.available(memberId));
    }

    private void earnDaysAgo(UUID memberId, long points, int days) {
        LedgerApi.earn(memberId, "earn-" + days + "-" + memberId, Map.of("orderId", "order-" + days, "channel", "POS",
                "amount", Map.of("value", 100L, "currency", "USD"), "points", points,
                "occurredAt", OffsetDateTime.now(ZoneOffset.UTC).minusDays(days).toString())).then().statusCode(201);
    }

    private List<Row> lots(UUID memberId) {
        return Database.all(pool, "SELECT lot_id, expires_at, remaining FROM point_lots WHERE member_id = $1 "
                + "ORDER BY expires_at, lot_id", memberId);
    }

    /** The tier as the tier service would set it; a write then caches the account as it stands. */
    private void makeGold(UUID memberId) {
        Database.execute(pool, "UPDATE member_accounts SET tier = 'GOLD' WHERE member_id = $1", memberId);
        LedgerApi.earnPoints(memberId, "gold-" + memberId, 1).then().statusCode(201);
        LedgerApi.redeem(memberId, "gold-back-" + memberId, 1).then().statusCode(201);
    }
}
