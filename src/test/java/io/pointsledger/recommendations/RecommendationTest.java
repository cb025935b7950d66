package io.pointsledger.recommendations;

import static io.pointsledger.support.LedgerApi.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.pointsledger.support.Database;
import io.pointsledger.support.LedgerApi;
import io.pointsledger.support.Partners;
import io.pointsledger.support.Partners.TestPartner;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
class RecommendationTest {

    @Inject
    RecommendationService recommendations;

    @Inject
    Pool pool;

    private static final Duration PIPELINE_DEADLINE = Duration.ofSeconds(20);

    /** Buys the items with the operator's key; the earn's transfer id. */
    private static UUID buy(UUID memberId, String... skus) {
        List<Map<String, Object>> items = java.util.Arrays.stream(skus)
                .map(sku -> Map.<String, Object>of("sku", sku, "quantity", 1, "unitPrice", 1_000)).toList();
        return UUID.fromString(LedgerApi.earn(memberId, UUID.randomUUID().toString(), Map.of("orderId", "basket",
                "amount", Map.of("value", 1_000L * skus.length, "currency", "USD"), "channel", "ONLINE", "items", items))
                .then().statusCode(201).extract().path("transactionId"));
    }

    private static JsonPath recommendationsFor(UUID memberId) {
        return given().get("/v1/members/{memberId}/recommendations", memberId).then().statusCode(200).extract().jsonPath();
    }

    /**
     * Summing raw co-purchase counts puts a bestseller first because it is bought with everything;
     * cosine similarity divides by how many buy it. Four members bought the coffee filter: one
     * with filter paper (bought by no one else), two with milk, which three more members bought
     * alone. Raw counts: milk 2, paper 1; cosine: paper 1 ÷ √(4 × 1) = 0.5, milk 2 ÷ √(4 × 5) ≈ 0.447.
     */
    @Test
    void shouldRankANicheCompanionAboveABestsellerBoughtWithEverything() {
        String prefix = "rec-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        List<UUID> counted = new ArrayList<>();
        counted.add(buy(LedgerApi.enroll(), prefix + "filter", prefix + "paper"));
        counted.add(buy(LedgerApi.enroll(), prefix + "filter", prefix + "milk"));
        counted.add(buy(LedgerApi.enroll(), prefix + "filter", prefix + "milk"));
        for (int alone = 0; alone < 3; alone++) {
            counted.add(buy(LedgerApi.enroll(), prefix + "milk"));
        }
        UUID member = LedgerApi.enroll();
        counted.add(buy(member, prefix + "filter"));
        await().atMost(PIPELINE_DEADLINE).until(() -> counted.stream().allMatch(this::counted));

        JsonPath result = recommendationsFor(member);
        assertEquals(List.of(prefix + "paper", prefix + "milk"), result.getList("sku").subList(0, 2));
        assertFalse(result.getList("sku").contains(prefix + "filter"), "never what the member already bought");
        assertEquals(0.5, result.getDouble("find { it.sku == '" + prefix + "paper' }.score"), 1e-6);
        assertEquals(2 / Math.sqrt(20), result.getDouble("find { it.sku == '" + prefix + "milk' }.score"), 1e-6);
        assertEquals("SIMILAR_ITEMS", result.getString("find { it.sku == '" + prefix + "milk' }.basis"));
    }

    /**
     * A pair counts buyers, not purchases: a member buying the same two items every week adds one,
     * and an item bought again adds no buyer. A 200-line basket pairs only its first 20 items
     * (380 ordered pairs, not 39 800), and every one of its items still counts a buyer.
     */
    @Test
    void shouldCountBuyersOnceAndCapThePairsOfALargeBasket() {
        String prefix = "cap-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        UUID regular = LedgerApi.enroll();
        UUID firstWeek = buy(regular, prefix + "bread", prefix + "butter");
        UUID secondWeek = buy(regular, prefix + "bread", prefix + "butter");
        UUID wholesaler = LedgerApi.enroll();
        String[] large = java.util.stream.IntStream.range(0, 200).mapToObj(line -> prefix + "line" + (1000 + line))
                .toArray(String[]::new);
        UUID largeBasket = buy(wholesaler, large);
        await().atMost(PIPELINE_DEADLINE).until(() -> counted(firstWeek) && counted(secondWeek) && counted(largeBasket));

        assertEquals(1, Database.single(pool, "SELECT buyers FROM item_pair_buyers WHERE sku = $1 AND other_sku = $2",
                prefix + "bread", prefix + "butter").getLong(0));
        assertEquals(1, Database.single(pool, "SELECT buyers FROM item_buyers WHERE sku = $1", prefix + "bread").getLong(0));
        assertEquals(20 * 19, Database.single(pool, "SELECT count(*) FROM item_pair_buyers WHERE sku LIKE $1 || '%'",
                prefix + "line").getLong(0));
        assertEquals(0, Database.single(pool, "SELECT count(*) FROM item_pair_buyers WHERE sku LIKE $1 || '%' AND sku > $2",
                prefix + "line", prefix + "line1019").getLong(0), "only the basket's first 20 lines are paired");
        assertEquals(200, Database.single(pool, "SELECT count(*) FROM item_buyers WHERE sku LIKE $1 || '%'",
                prefix + "line").getLong(0));
    }

    @Test
    void shouldGiveANewMemberTheMostPopularItems() {
        UUID newcomer = LedgerApi.enroll();
        List<String> expected = pool.preparedQuery("SELECT sku FROM item_buyers ORDER BY buyers DESC, sku LIMIT 10")
                .execute().await().atMost(Duration.ofSeconds(10)).stream().map(row -> row.getString(0)).toList();

        assertEquals(expected, recommendationsFor(newcomer).getList("sku"));
    }

    @Test
    void shouldCountARedeliveredPurchaseOnce() {
        String prefix = "dup-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        UUID memberId = LedgerApi.enroll();
        UUID transferId = buy(memberId, prefix + "a", prefix + "b");
        await().atMost(PIPELINE_DEADLINE).until(() -> counted(transferId));
        JsonObject event = new JsonObject().put("kind", "EARN").put("transferId", transferId.toString());

        recommendations.apply(event).await().atMost(Duration.ofSeconds(10));
        recommendations.apply(event).await().atMost(Duration.ofSeconds(10));

        assertEquals(1, Database.single(pool, "SELECT buyers FROM item_pair_buyers WHERE sku = $1 AND other_sku = $2",
                prefix + "a", prefix + "b").getLong(0));
        assertEquals(1, Database.single(pool, "SELECT buyers FROM item_buyers WHERE sku = $1", prefix + "a").getLong(0));
    }

    /** Whoever can write to the topic must not shape recommendations: an event for no earn is dead-lettered. */
    @Test
    void shouldNotCountAForgedEventForAnEarnTheLedgerDoesNotHave() {
        String prefix = "forged-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        UUID memberId = LedgerApi.enroll();
        UUID forgedId = UUID.randomUUID();
        publishForged(memberId, forgedId, prefix + "planted", prefix + "other");

        await().atMost(PIPELINE_DEADLINE).until(() -> Database.single(pool,
                "SELECT count(*) FROM dead_letters WHERE event_id = $1 AND consumer = 'recommendation-updates'", forgedId)
                .getLong(0) == 1);
        assertEquals(0, rowsNaming(prefix), "no count, pair or member item from the forged event");
        assertEquals(0, Database.single(pool, "SELECT count(*) FROM member_items WHERE member_id = $1", memberId).getLong(0));
    }

    /** An event naming a real earn counts what the ledger recorded for it, whatever items the event lists. */
    @Test
    void shouldCountWhatTheLedgerRecordedNotWhatAForgedEventLists() {
        String prefix = "lied-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        UUID memberId = LedgerApi.enroll();
        // An earn without items: the ledger recorded nothing bought, so nothing may be counted for it.
        UUID earned = UUID.fromString(LedgerApi.earnForAmount(memberId, UUID.randomUUID().toString(), 1_000)
                .then().statusCode(201).extract().path("transactionId"));
        publishForged(memberId, earned, prefix + "planted", prefix + "other");
        // One member's events are consumed in order: once the next purchase is counted, the forged event was handled.
        UUID after = buy(memberId, prefix + "real");
        await().atMost(PIPELINE_DEADLINE).until(() -> counted(after));

        assertEquals(2, rowsNaming(prefix + "real"), "the real purchase's popularity row and member item");
        assertEquals(0, rowsNaming(prefix + "planted") + rowsNaming(prefix + "other"), "the forged items are not counted");
        assertEquals(List.of(prefix + "real"), pool.preparedQuery("SELECT sku FROM member_items WHERE member_id = $1")
                .execute(Tuple.of(memberId)).await().atMost(Duration.ofSeconds(10))
                .stream().map(row -> row.getString(0)).toList());
    }

    private boolean counted(UUID transferId) {
        return Database.single(pool, "SELECT count(*) FROM recommendation_purchases WHERE transfer_id = $1", transferId)
                .getLong(0) == 1;
    }

    /** Popularity rows, pairs and member items whose SKU starts with {@code prefix}. */
    private long rowsNaming(String prefix) {
        return Database.single(pool, """
                SELECT (SELECT count(*) FROM item_buyers WHERE sku LIKE $1 || '%')
                     + (SELECT count(*) FROM item_pair_buyers WHERE sku LIKE $1 || '%' OR other_sku LIKE $1 || '%')
                     + (SELECT count(*) FROM member_items WHERE sku LIKE $1 || '%')""", prefix).getLong(0);
    }

    /** An EARN event written straight to the outbox, as someone able to write to the topic could. */
    private void publishForged(UUID memberId, UUID transferId, String... skus) {
        JsonArray items = new JsonArray();
        for (String sku : skus) {
            items.add(new JsonObject().put("sku", sku).put("quantity", 1).put("unitPrice", 1_000));
        }
        Database.execute(pool, """
                INSERT INTO outbox (event_id, member_id, event_type, payload)
                VALUES (gen_random_uuid(), $1, 'TRANSFER_RECORDED', jsonb_build_object('schemaVersion', 1, 'kind', 'EARN',
                        'transferId', $2::text, 'memberId', $1::text, 'points', 10,
                        'amount', jsonb_build_object('value', 1000, 'currency', 'USD'), 'items', $3::jsonb,
                        'occurredAt', now()::text))""", memberId, transferId, items);
    }

    /**
     * A partner learns nothing from another partner's sales to the member: its recommendations
     * are derived from what the member bought from it. The co-purchase counts are anonymous and
     * shared; only the member's own items are kept per partner.
     */
    @Test
    void shouldDeriveAPartnersRecommendationsFromItsOwnSalesOnly() {
        String prefix = "own-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        TestPartner bakery = Partners.create(1_000, "earn", "read");
        TestPartner pharmacy = Partners.create(1_000, "earn", "read");
        // Other members' baskets link bread to butter and vitamins to plasters.
        buy(LedgerApi.enroll(), prefix + "bread", prefix + "butter");
        buy(LedgerApi.enroll(), prefix + "vitamins", prefix + "plasters");
        UUID member = LedgerApi.enroll();
        UUID atBakery = buyAs(bakery, member, prefix + "bread");
        UUID atPharmacy = buyAs(pharmacy, member, prefix + "vitamins");
        await().atMost(PIPELINE_DEADLINE).until(() -> counted(atBakery) && counted(atPharmacy));

        assertEquals(List.of(prefix + "butter"), recommendationsAs(bakery.apiKey(), member, 1));
        assertEquals(List.of(prefix + "plasters"), recommendationsAs(pharmacy.apiKey(), member, 1));
        assertEquals(List.of(prefix + "butter", prefix + "plasters"), recommendationsAs(LedgerApi.ADMIN_KEY, member, 2),
                "the operator's come from every purchase");
        // What the member bought at the pharmacy is not left out of the bakery's list as "already bought".
        assertEquals(0, Database.single(pool, "SELECT count(*) FROM member_items WHERE member_id = $1 AND partner_id = $2 AND sku = $3",
                member, bakery.partnerId(), prefix + "vitamins").getLong(0));
        assertEquals(0, Database.single(pool, "SELECT count(*) FROM item_pair_buyers WHERE sku = $1 AND other_sku = $2",
                prefix + "bread", prefix + "vitamins").getLong(0), "no pair joins what the member bought at two partners");
    }

    private static UUID buyAs(TestPartner partner, UUID memberId, String sku) {
        return UUID.fromString(LedgerApi.as(partner.apiKey()).contentType("application/json")
                .header("Idempotency-Key", UUID.randomUUID().toString())
                .body(Map.of("orderId", "basket", "amount", Map.of("value", 1_000, "currency", "USD"), "channel", "PARTNER",
                        "items", List.of(Map.of("sku", sku, "quantity", 1, "unitPrice", 1_000))))
                .post("/v1/members/{memberId}/earn", memberId).then().statusCode(201).extract().path("transactionId"));
    }

    private static List<String> recommendationsAs(String apiKey, UUID memberId, int limit) {
        return LedgerApi.as(apiKey).queryParam("limit", limit).get("/v1/members/{memberId}/recommendations", memberId)
                .then().statusCode(200).extract().jsonPath().getList("sku");
    }

    @Test
    void shouldRefuseBadLimitsAndUnknownMembers() {
        UUID memberId = LedgerApi.enroll();
        given().queryParam("limit", 51).get("/v1/members/{memberId}/recommendations", memberId).then()
                .statusCode(400).body("code", equalTo("VALIDATION_FAILED"));
        given().queryParam("limit", 3).get("/v1/members/{memberId}/recommendations", memberId).then()
                .statusCode(200).body("size()", equalTo(3));
        given().get("/v1/members/{memberId}/recommendations", UUID.randomUUID()).then()
                .statusCode(404).body("code", equalTo("MEMBER_NOT_FOUND"));
    }
}
