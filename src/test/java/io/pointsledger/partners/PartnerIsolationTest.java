package io.pointsledger.partners;

import static io.pointsledger.support.LedgerApi.as;
import static io.pointsledger.support.LedgerApi.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.pointsledger.support.Database;
import io.pointsledger.support.LedgerApi;
import io.pointsledger.support.Partners;
import io.pointsledger.support.Partners.TestPartner;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
class PartnerIsolationTest {

    @Inject
    Pool pool;

    private static Response earn(TestPartner partner, UUID memberId, String key, long points) {
        return LedgerApi.earnPointsAs(partner.apiKey(), memberId, key, points);
    }

    @Test
    void shouldRecordThePartnerAndShowEachPartnerOnlyItsOwnTransfers() {
        TestPartner cardCompany = Partners.create(1_000, "earn", "earn:manual", "redeem", "read");
        TestPartner deliveryApp = Partners.create(1_000, "earn", "earn:manual", "redeem", "read");
        UUID memberId = LedgerApi.enroll();

        earn(cardCompany, memberId, "card-1", 100).then().statusCode(201);
        earn(deliveryApp, memberId, "delivery-1", 40).then().statusCode(201);

        assertEquals(cardCompany.partnerId(), Database.single(pool,
                "SELECT partner_id FROM transfers WHERE member_id = $1 AND points = 100", memberId).getString(0));
        as(cardCompany.apiKey()).get("/v1/members/{memberId}/transactions", memberId).then()
                .statusCode(200).body("items", hasSize(1)).body("items.points", contains(100));
        as(deliveryApp.apiKey()).get("/v1/members/{memberId}/transactions", memberId).then()
                .statusCode(200).body("items", hasSize(1)).body("items.points", contains(40));
        given().get("/v1/members/{memberId}/transactions", memberId).then()
                .statusCode(200).body("items.points", containsInAnyOrder(100, 40));
    }

    @Test
    void shouldShareBalancesAcrossTheCoalition() {
        TestPartner airline = Partners.create(1_000, "earn", "earn:manual", "redeem", "read");
        TestPartner retailer = Partners.create(1_000, "earn", "earn:manual", "redeem", "read");
        UUID memberId = LedgerApi.enroll();

        earn(airline, memberId, "miles-1", 500).then().statusCode(201);
        LedgerApi.redeemAs(retailer.apiKey(), memberId, "spend-1", 300).then().statusCode(201).body("available", equalTo(200));
        as(airline.apiKey()).get("/v1/members/{memberId}/balance", memberId).then().statusCode(200).body("available", equalTo(200));
    }

    @Test
    void shouldScopeIdempotencyKeysPerPartner() {
        TestPartner first = Partners.create(1_000, "earn", "earn:manual", "read");
        TestPartner second = Partners.create(1_000, "earn", "earn:manual", "read");
        UUID memberId = LedgerApi.enroll();
        String sharedKey = "receipt-0001";

        String firstTransfer = earn(first, memberId, sharedKey, 10).then().statusCode(201).extract().path("transactionId");
        Response secondAnswer = earn(second, memberId, sharedKey, 10);

        secondAnswer.then().statusCode(201);
        assertEquals(null, secondAnswer.getHeader("Idempotent-Replayed"), "another partner's key is not a replay");
        assertNotEquals(firstTransfer, secondAnswer.path("transactionId"));
        assertEquals(20, LedgerApi.available(memberId));
        earn(first, memberId, sharedKey, 10).then().statusCode(201).header("Idempotent-Replayed", "true");
    }
}
