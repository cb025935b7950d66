package io.pointsledger.ledger;

import static io.pointsledger.support.LedgerApi.earn;
import static io.pointsledger.support.LedgerApi.given;
import static io.pointsledger.support.LedgerApi.redeem;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pointsledger.support.Database;
import io.pointsledger.support.Holds;
import io.pointsledger.support.LedgerApi;
import io.pointsledger.support.MovableClock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Points expire oldest first, exactly what is left of them, and refunds keep their dates. */
@QuarkusTest
class ExpiryTest {

    @Inject
    Pool pool;

    @Inject
    MovableClock clock;

    @Inject
    LedgerService ledger;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    private static LocalDate today() {
        return LocalDate.now(ZoneOffset.UTC);
    }

    /** Earns 100 points on a purchase made {@code daysAgo} days ago (UTC program zone, 12-month expiry). */
    private static String earnDaysAgo(UUID memberId, int daysAgo) {
        return earn(memberId, "earn-" + daysAgo + "-" + memberId, Map.of(
                "orderId", "o-" + daysAgo, "amount", Map.of("value", 10_000, "currency", "USD"), "channel", "POS",
                "occurredAt", OffsetDateTime.now(ZoneOffset.UTC).minusDays(daysAgo).toString()))
                .then().statusCode(201).extract().path("transactionId");
    }

    /** The last valid day of points earned {@code daysAgo} days ago. */
    private static LocalDate lastValidDay(int daysAgo) {
        return today().minusDays(daysAgo).plusMonths(12);
    }

    private void expireAll() {
        while (ledger.expirePoints(1_000).await().atMost(Duration.ofSeconds(30)) > 0) {
            // Each run handles one bounded batch; drain them all.
        }
    }

    private static JsonPath balance(UUID memberId) {
        return given().get("/v1/members/{memberId}/balance", memberId).then().statusCode(200).extract().jsonPath();
    }

    @Test
    void shouldSpendOldestFirstExpireExactlyTheRemainderAndRefundWithOriginalDates() {
        UUID memberId = LedgerApi.enroll();
        earnDaysAgo(memberId, 300);
        earnDaysAgo(memberId, 200);
        earnDaysAgo(memberId, 100);
        assertEquals(List.of(Map.of("date", lastValidDay(300).toString(), "points", 100)),
                balance(memberId).getList("expiring"), "only the first lot expires within 90 days");

        String redemption = redeem(memberId, "spend-" + memberId, 150).then().statusCode(201).extract().path("transactionId");
        assertEquals(List.of(), balance(memberId).getList("expiring"), "the oldest lot was spent first");

        Holds.reverse(redemption, "refund-" + memberId, 120L).then().statusCode(201);
        assertEquals(List.of(Map.of("date", lastValidDay(300).toString(), "points", 70)),
                balance(memberId).getList("expiring"), "the refund gave 50 back to the second lot and 70 to the first");
        assertEquals(List.of(70L, 100L, 100L), lotRemainders(memberId));

        clock.moveForward(Duration.ofDays(66));
        expireAll();
        assertEquals(200, balance(memberId).getLong("posted"));
        assertEquals(70, Database.single(pool, "SELECT points FROM transfers WHERE member_id = $1 AND kind = 'EXPIRY'", memberId).getLong(0));

        clock.moveForward(Duration.ofDays(100));
        expireAll();
        assertEquals(100, balance(memberId).getLong("posted"));
        assertEquals(List.of(0L, 0L, 100L), lotRemainders(memberId));
        LedgerApi.assertReconciles();
    }

    @Test
    void shouldNotExpirePointsReservedByAPendingHold() {
        UUID memberId = LedgerApi.enroll();
        earnDaysAgo(memberId, 360);
        String holdId = Holds.hold(memberId, "reserve-" + memberId, 60, 604_800L).then().statusCode(201).extract().path("holdId");

        clock.moveForward(Duration.ofDays(6));
        expireAll();
        assertEquals(60, balance(memberId).getLong("posted"), "40 expired, the 60 on hold stay");
        assertEquals(0, balance(memberId).getLong("available"));

        Holds.capture(holdId, "capture-" + holdId, null).then().statusCode(200);
        assertEquals(0, balance(memberId).getLong("posted"));
        LedgerApi.assertReconciles();
    }

    @Test
    void shouldRepayADebtBeforeFillingLots() {
        UUID memberId = LedgerApi.enroll();
        String earned = LedgerApi.earnPoints(memberId, "debt-earn-" + memberId, 100).then().statusCode(201)
                .extract().path("transactionId");
        redeem(memberId, "debt-spend-" + memberId, 80).then().statusCode(201);
        Holds.reverse(earned, "debt-return-" + memberId, null).then().statusCode(201);
        assertEquals(-80, balance(memberId).getLong("posted"));

        LedgerApi.earnPoints(memberId, "repay-" + memberId, 100).then().statusCode(201);

        assertEquals(20, balance(memberId).getLong("posted"));
        assertEquals(20, lotRemainders(memberId).stream().mapToLong(Long::longValue).sum());
        LedgerApi.assertReconciles();
    }

    private List<Long> lotRemainders(UUID memberId) {
        return pool.preparedQuery("SELECT remaining FROM point_lots WHERE member_id = $1 ORDER BY expires_at")
                .execute(io.vertx.mutiny.sqlclient.Tuple.of(memberId)).await().atMost(Duration.ofSeconds(10))
                .stream().map(row -> row.getLong(0)).toList();
    }
}
