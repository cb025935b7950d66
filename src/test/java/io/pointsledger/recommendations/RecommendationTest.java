package io.pointsledger.recommendations;

import static io.pointsledger.support.LedgerApi.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.pointsledger.support.Database;
import io.pointsledger.support.LedgerApi;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.OffsetDateTime;
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

    private static void buy(UUID memberId, String... skus) {
        List<Map<String, Object>> items = java.util.Arrays.stream(skus)
                .map(sku -> Map.<String, Object>of("sku", sku, "quantity", 1, "unitPrice", 1_000)).toList();
        LedgerApi.earn(memberId, UUID.randomUUID().toString(), Map.of("orderId", "basket",
                "amount", Map.of("value", 1_000L * skus.length, "currency", "USD"), "channel", "ONLINE", "items", items))
                .then().statusCode(201);
    }

    private static JsonPath recommendationsFor(UUID memberId) {
        return given().get("/v1/members/{memberId}/recommendations", memberId).then().statusCode(200).extract().jsonPath();
    }

    @Test
    void shouldRecommendWhatOthersBoughtTogetherWithinSecondsExcludingWhatTheMemberBought() {
        String prefix = "rec-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        UUID first = LedgerApi.enroll();
        UUID second = LedgerApi.enroll();
        buy(first, prefix + "ramen", prefix + "kimchi");
        buy(first, prefix + "ramen", prefix + "soju");
        buy(second, prefix + "ramen");

        // ramen-kimchi: bought in one basket, then ramen again with kimchi in the history (2);
        // ramen-soju: one basket (1).
        await().atMost(Duration.ofSeconds(20)).until(() -> recommendationsFor(second).getList("sku").contains(prefix + "soju"));
        JsonPath result = recommendationsFor(second);
        List<String> skus = result.getList("sku");
        assertFalse(skus.contains(prefix + "ramen"), "never what the member already bought");
        assertEquals(List.of(prefix + "kimchi", prefix + "soju"), skus.subList(0, 2));
        assertEquals(2, result.getLong("find { it.sku == '" + prefix + "kimchi' }.score"));
        assertEquals(1, result.getLong("find { it.sku == '" + prefix + "soju' }.score"));
    }

    @Test
    void shouldGiveANewMemberTheMostPopularItems() {
        UUID newcomer = LedgerApi.enroll();
        List<String> expected = pool.preparedQuery("SELECT sku FROM item_popularity ORDER BY purchases DESC, sku LIMIT 10")
                .execute().await().atMost(Duration.ofSeconds(10)).stream().map(row -> row.getString(0)).toList();

        assertEquals(expected, recommendationsFor(newcomer).getList("sku"));
    }

    @Test
    void shouldCountARedeliveredPurchaseOnce() {
        String prefix = "dup-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        JsonObject event = new JsonObject().put("kind", "EARN").put("transferId", UUID.randomUUID().toString())
                .put("memberId", UUID.randomUUID().toString()).put("occurredAt", OffsetDateTime.now().toString())
                .put("items", new JsonArray().add(new JsonObject().put("sku", prefix + "a")).add(new JsonObject().put("sku", prefix + "b")));

        recommendations.apply(event).await().atMost(Duration.ofSeconds(10));
        recommendations.apply(event).await().atMost(Duration.ofSeconds(10));

        assertEquals(1, Database.single(pool, "SELECT count FROM item_pairs WHERE sku = $1 AND other_sku = $2",
                prefix + "a", prefix + "b").getLong(0));
        assertEquals(1, Database.single(pool, "SELECT purchases FROM item_popularity WHERE sku = $1", prefix + "a").getLong(0));
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
