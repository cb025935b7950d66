package io.pointsledger.partners;

import static io.pointsledger.support.LedgerApi.as;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.MeterRegistry;
import io.pointsledger.support.DisposableRedis;
import io.pointsledger.support.LedgerApi;
import io.pointsledger.support.Partners;
import io.pointsledger.support.Partners.TestPartner;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** With Redis down the rate limiter fails open: partners are served, and the metric says so. */
@QuarkusTest
@WithTestResource(value = DisposableRedis.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class RateLimiterOutageTest {

    @Inject
    RedisDataSource redis;

    @Inject
    MeterRegistry registry;

    @Test
    void shouldServeEarnAndRedeemWhenRedisIsDown() {
        TestPartner partner = Partners.create(2, "earn", "redeem", "read");
        UUID memberId = LedgerApi.enroll();
        assertThrows(RuntimeException.class, () -> redis.execute("SHUTDOWN", "NOSAVE"));
        double failOpenBefore = registry.counter("ledger.rate.limiter.fail.open").count();

        for (int index = 0; index < 6; index++) {
            as(partner.apiKey()).contentType("application/json").header("Idempotency-Key", "outage-" + index)
                    .body(Map.of("orderId", "o", "amount", Map.of("value", 1000, "currency", "USD"), "channel", "PARTNER"))
                    .post("/v1/members/{memberId}/earn", memberId).then().statusCode(201);
        }
        as(partner.apiKey()).contentType("application/json").header("Idempotency-Key", "outage-redeem")
                .body(Map.of("points", 5, "orderId", "o", "channel", "PARTNER"))
                .post("/v1/members/{memberId}/redeem", memberId).then().statusCode(201);

        assertTrue(registry.counter("ledger.rate.limiter.fail.open").count() >= failOpenBefore + 7,
                "every unchecked request is counted");
    }
}
