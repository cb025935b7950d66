package io.pointsledger.ledger;

import static io.pointsledger.support.LedgerApi.earnPoints;
import static io.pointsledger.support.LedgerApi.redeem;
import static io.pointsledger.support.LedgerApi.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.pointsledger.support.DisposableRedis;
import io.pointsledger.support.LedgerApi;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** With Redis gone, balances and writes are answered from PostgreSQL: slower, never failing, still ready. */
@QuarkusTest
@WithTestResource(value = DisposableRedis.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class RedisOutageTest {

    @Inject
    RedisDataSource redis;

    @Test
    void shouldServeBalanceEarnAndRedeemWithRedisStopped() {
        UUID memberId = LedgerApi.enrollWithPoints(100);
        given().get("/v1/members/{memberId}/balance", memberId).then().statusCode(200).body("available", equalTo(100));

        // SHUTDOWN ends the server process; the client sees the connection drop.
        assertThrows(RuntimeException.class, () -> redis.execute("SHUTDOWN", "NOSAVE"));
        assertThrows(RuntimeException.class, () -> redis.execute("PING"), "Redis is really down");

        earnPoints(memberId, "outage-earn-" + memberId, 50).then().statusCode(201).body("available", equalTo(150));
        redeem(memberId, "outage-redeem-" + memberId, 30).then().statusCode(201).body("available", equalTo(120));
        given().get("/v1/members/{memberId}/balance", memberId).then()
                .statusCode(200)
                .body("available", equalTo(120))
                .body("version", equalTo(3));
        UUID newcomer = LedgerApi.enroll();
        assertEquals(0, LedgerApi.available(newcomer));
        LedgerApi.assertReconciles();
        // Answering from PostgreSQL, the service stays in the load balancer.
        RestAssured.get("/q/health/ready").then().statusCode(200);
    }
}
