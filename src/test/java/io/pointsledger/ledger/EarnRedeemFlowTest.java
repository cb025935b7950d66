package io.pointsledger.ledger;

import static org.awaitility.Awaitility.await;
import static io.pointsledger.support.LedgerApi.earn;
import static io.pointsledger.support.LedgerApi.earnForAmount;
import static io.pointsledger.support.LedgerApi.earnPoints;
import static io.pointsledger.support.LedgerApi.enroll;
import static io.pointsledger.support.LedgerApi.redeem;
import static io.pointsledger.support.LedgerApi.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.pointsledger.support.Database;
import io.pointsledger.support.LedgerApi;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
class EarnRedeemFlowTest {

    @Inject
    Pool pool;

    @Test
    void shouldEarnRedeemAndShowBalanceAndHistory() {
        UUID memberId = enroll();

        earnForAmount(memberId, "flow-earn-" + memberId, 12_345).then()
                .statusCode(201)
                .body("kind", equalTo("EARN"))
                .body("transactionId", notNullValue())
                .body("points", equalTo(123))
                .body("available", equalTo(123))
                .body("posted", equalTo(123))
                .body("held", equalTo(0));

        redeem(memberId, "flow-redeem-" + memberId, 23).then()
                .statusCode(201)
                .body("kind", equalTo("REDEEM"))
                .body("points", equalTo(23))
                .body("available", equalTo(100))
                .body("posted", equalTo(100));

        given().get("/v1/members/{memberId}/balance", memberId).then()
                .statusCode(200)
                .body("memberId", equalTo(memberId.toString()))
                .body("posted", equalTo(100))
                .body("held", equalTo(0))
                .body("available", equalTo(100))
                .body("tier", equalTo("BASIC"))
                .body("version", equalTo(2));

        given().get("/v1/members/{memberId}/transactions", memberId).then()
                .statusCode(200)
                .body("items", hasSize(2))
                .body("items[0].kind", equalTo("REDEEM"))
                .body("items[0].postedDelta", equalTo(-23))
                .body("items[1].kind", equalTo("EARN"))
                .body("items[1].amount.value", equalTo(12_345))
                .body("items[1].amount.currency", equalTo("USD"))
                .body("nextCursor", nullValue());
    }

    @Test
    void shouldFloorPointsFromAmountTimesRateTimesTierMultiplier() {
        UUID basic = enroll();
        earnForAmount(basic, "rule-basic-" + basic, 19_999).then().statusCode(201).body("points", equalTo(199));

        UUID silver = enroll();
        Database.execute(pool, "UPDATE member_accounts SET tier = 'SILVER' WHERE member_id = $1", silver);
        earnForAmount(silver, "rule-silver-" + silver, 10_099).then().statusCode(201).body("points", equalTo(151));

        UUID gold = enroll();
        Database.execute(pool, "UPDATE member_accounts SET tier = 'GOLD' WHERE member_id = $1", gold);
        earnForAmount(gold, "rule-gold-" + gold, 10_099).then().statusCode(201).body("points", equalTo(201));
    }

    @Test
    void shouldAwardExplicitPointsInsteadOfTheRule() {
        UUID memberId = enroll();
        earnPoints(memberId, "explicit-" + memberId, 777).then().statusCode(201).body("points", equalTo(777));
    }

    @Test
    void shouldKeepPurchaseItemsOnTheTransferAndCarryThemInItsEvent() {
        UUID memberId = enroll();
        earn(memberId, "items-" + memberId, Map.of(
                "orderId", "order-items",
                "amount", Map.of("value", 2_000, "currency", "USD"),
                "channel", "ONLINE",
                "items", List.of(Map.of("sku", "SKU-1", "category", "coffee", "quantity", 2, "unitPrice", 1_000))))
                .then().statusCode(201);

        assertEquals("SKU-1", Database.single(pool,
                "SELECT metadata -> 'items' -> 0 ->> 'sku' FROM transfers WHERE member_id = $1", memberId).getString(0));
        // The relay may publish and delete the outbox row at any moment, so the event is checked by
        // its effect: the recommendations consumer reads the items from the event alone.
        await().atMost(Duration.ofSeconds(30)).until(() -> Database.single(pool,
                "SELECT count(*) FROM member_items WHERE member_id = $1 AND sku = 'SKU-1'", memberId).getLong(0) == 1);
    }

    @Test
    void shouldPageHistoryNewestFirstWithACursor() {
        UUID memberId = LedgerApi.enroll();
        for (int index = 1; index <= 5; index++) {
            earnPoints(memberId, "page-" + index + "-" + memberId, index).then().statusCode(201);
        }
        List<Integer> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            var request = given().queryParam("limit", 2);
            if (cursor != null) {
                request.queryParam("cursor", cursor);
            }
            var page = request.get("/v1/members/{memberId}/transactions", memberId).then().statusCode(200).extract().jsonPath();
            seen.addAll(page.getList("items.points", Integer.class));
            cursor = page.getString("nextCursor");
            pages++;
        } while (cursor != null && pages < 10);

        assertEquals(List.of(5, 4, 3, 2, 1), seen);
        assertEquals(3, pages);
    }

    @Test
    void shouldDefaultHistoryToFiftyAndAcceptFiveHundred() {
        UUID memberId = enroll();
        for (int index = 0; index < 51; index++) {
            earnPoints(memberId, "default-page-" + index + "-" + memberId, 1).then().statusCode(201);
        }
        var firstPage = given().get("/v1/members/{memberId}/transactions", memberId).then().statusCode(200)
                .body("items", hasSize(50)).extract().jsonPath();
        assertNotEquals(null, firstPage.getString("nextCursor"));
        var everything = given().queryParam("limit", 500).get("/v1/members/{memberId}/transactions", memberId)
                .then().statusCode(200).body("items", hasSize(51)).extract().jsonPath();
        assertNull(everything.getString("nextCursor"));
    }
}
