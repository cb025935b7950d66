package io.pointsledger.ledger;

import static io.pointsledger.support.LedgerApi.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pointsledger.support.Database;
import io.pointsledger.support.Holds;
import io.pointsledger.support.LedgerApi;
import io.pointsledger.support.OwnerDatabase;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A lot holds the points its transfer credited; movements are its later changes. Lots and
 * movements have no foreign keys (they are derived state, written with their transfers in one
 * statement), so the reconciliation checks them against each other and against the transfers.
 */
@QuarkusTest
class LotHistoryTest {

    @Inject
    Pool pool;

    @Inject
    OwnerDatabase owner;

    @Test
    void shouldRecordAnEarnsPointsAsItsLotsCreditWithoutAMovement() {
        UUID memberId = LedgerApi.enrollWithPoints(50);

        Row lot = Database.single(pool, """
                SELECT l.credited, l.remaining, (SELECT count(*) FROM lot_movements m WHERE m.lot_id = l.lot_id) AS movements
                  FROM point_lots l WHERE l.member_id = $1""", memberId);
        assertEquals(50, lot.getLong("credited"));
        assertEquals(50, lot.getLong("remaining"));
        assertEquals(0, lot.getLong("movements"));
    }

    @Test
    void shouldGiveARefundBackToTheLotItsRedemptionSpent() {
        UUID memberId = LedgerApi.enrollWithPoints(100);
        String redemption = LedgerApi.redeem(memberId, UUID.randomUUID().toString(), 30).then().statusCode(201)
                .extract().jsonPath().getString("transactionId");

        Holds.reverse(redemption, UUID.randomUUID().toString(), null).then().statusCode(201);

        // Back in the earn's lot (the only one): no new lot, and the lot is its credit plus its movements.
        Row lot = Database.single(pool, """
                SELECT count(*) AS lots, sum(l.remaining) AS remaining, sum(l.credited) AS credited,
                       (SELECT sum(m.points) FROM lot_movements m JOIN point_lots x USING (lot_id) WHERE x.member_id = $1) AS moved
                  FROM point_lots l WHERE l.member_id = $1""", memberId);
        assertEquals(1, lot.getLong("lots"));
        assertEquals(100, lot.getLong("remaining"));
        assertEquals(100, lot.getLong("credited"));
        assertEquals(0, lot.getLong("moved"));
        LedgerApi.assertReconciles();
    }

    @Test
    void shouldRecordTheCreditOfALotThatPredatesLotMovements() throws Exception {
        UUID memberId = LedgerApi.enrollWithPoints(70);
        LedgerApi.redeem(memberId, UUID.randomUUID().toString(), 20).then().statusCode(201);
        // As V4 left the lots it gave existing balances: a remainder, no record of the credit.
        Database.execute(owner.pool(), "UPDATE point_lots SET credited = NULL WHERE member_id = $1", memberId);
        given().get("/v1/admin/reconciliation").then().statusCode(200)
                .body("mismatches.find { it.memberId == '" + memberId + "' }.lotDiscrepancies", equalTo(1));

        String backfill;
        try (InputStream migration = getClass().getResourceAsStream(
                "/db/migration/V16__credit_of_the_lots_from_before_movements.sql")) {
            backfill = new String(migration.readAllBytes(), StandardCharsets.UTF_8);
        }
        owner.pool().query(backfill).execute().await().atMost(Duration.ofSeconds(10));

        assertEquals(70, Database.single(pool, "SELECT credited FROM point_lots WHERE member_id = $1", memberId)
                .getLong("credited"));
        LedgerApi.assertReconciles();
    }

    @Test
    void shouldReportALotWhoseRemainderIsNotItsCreditPlusItsMovements() {
        UUID memberId = LedgerApi.enrollWithPoints(80);
        LedgerApi.redeem(memberId, UUID.randomUUID().toString(), 20).then().statusCode(201);
        LedgerApi.assertReconciles();

        // Balances, transfers and lot remainders all still agree: only the lot's own history does not.
        Database.execute(owner.pool(), "UPDATE point_lots SET credited = credited + 5 WHERE member_id = $1", memberId);
        try {
            given().get("/v1/admin/reconciliation").then().statusCode(200)
                    .body("mismatchCount", equalTo(1))
                    .body("mismatches[0].memberId", equalTo(memberId.toString()))
                    .body("mismatches[0].lotDiscrepancies", equalTo(1))
                    .body("mismatches[0].lotRemainders", equalTo(60));
        } finally {
            Database.execute(owner.pool(), "UPDATE point_lots SET credited = credited - 5 WHERE member_id = $1", memberId);
        }
        LedgerApi.assertReconciles();
    }
}
