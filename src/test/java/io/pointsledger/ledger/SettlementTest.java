package io.pointsledger.ledger;

import static io.pointsledger.support.LedgerApi.as;
import static io.pointsledger.support.LedgerApi.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pointsledger.support.Database;
import io.pointsledger.support.LedgerApi;
import io.pointsledger.support.Partners;
import io.pointsledger.support.Partners.TestPartner;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.inject.Inject;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
class SettlementTest {

    @Inject
    Pool pool;

    private static void earn(TestPartner partner, UUID memberId, long points) {
        LedgerApi.earnPointsAs(partner.apiKey(), memberId, UUID.randomUUID().toString(), points).then().statusCode(201);
    }

    private static void redeem(TestPartner partner, UUID memberId, long points) {
        LedgerApi.redeemAs(partner.apiKey(), memberId, UUID.randomUUID().toString(), points).then().statusCode(201);
    }

    @Test
    void shouldSettlePointsIssuedAndRedeemedPerPartnerFromTheLedger() {
        OffsetDateTime from = OffsetDateTime.now(ZoneOffset.UTC).minusSeconds(1);
        TestPartner card = Partners.create(1_000, "earn", "earn:manual", "redeem");
        TestPartner delivery = Partners.create(1_000, "earn", "earn:manual", "redeem");
        UUID memberId = LedgerApi.enroll();
        earn(card, memberId, 100);
        earn(card, memberId, 50);
        earn(delivery, memberId, 70);
        redeem(delivery, memberId, 30);
        redeem(card, memberId, 120);
        OffsetDateTime to = OffsetDateTime.now(ZoneOffset.UTC).plusSeconds(1);

        JsonPath report = given().queryParam("from", from.toString()).queryParam("to", to.toString())
                .get("/v1/admin/settlement").then().statusCode(200).extract().jsonPath();

        assertPartner(report, card.partnerId(), 150, 120, 30, from, to);
        assertPartner(report, delivery.partnerId(), 70, 30, 40, from, to);
    }

    private void assertPartner(JsonPath report, String partnerId, long issued, long redeemed, long net,
            OffsetDateTime from, OffsetDateTime to) {
        Map<String, Object> row = report.getMap("partners.find { it.partnerId == '" + partnerId + "' }");
        assertEquals(issued, ((Number) row.get("pointsIssued")).longValue());
        assertEquals(redeemed, ((Number) row.get("pointsRedeemed")).longValue());
        assertEquals(net, ((Number) row.get("net")).longValue());
        Row ledger = Database.single(pool, """
                SELECT sum(posted_delta) FROM transfers WHERE partner_id = $1 AND recorded_at >= $2 AND recorded_at < $3""",
                partnerId, from, to);
        assertEquals(ledger.getLong(0), ((Number) row.get("net")).longValue(), "net equals the ledger's sum");
    }

    @Test
    void shouldRefuseABadPeriod() {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        given().queryParam("from", now.toString()).queryParam("to", now.minusDays(1).toString())
                .get("/v1/admin/settlement").then().statusCode(400).body("code", equalTo("VALIDATION_FAILED"));
        given().queryParam("from", now.minusDays(400).toString()).queryParam("to", now.toString())
                .get("/v1/admin/settlement").then().statusCode(400).body("code", equalTo("VALIDATION_FAILED"));
        given().get("/v1/admin/settlement").then().statusCode(400).body("code", equalTo("VALIDATION_FAILED"));
    }
}
