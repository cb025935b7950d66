package io.pointsledger.partners;

import static io.pointsledger.support.LedgerApi.as;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.MeterRegistry;
import io.pointsledger.support.Concurrently;
import io.pointsledger.support.DisposableRedis;
import io.pointsledger.support.LedgerApi;
import io.pointsledger.support.Partners;
import io.pointsledger.support.Partners.TestPartner;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.MethodOrderer.OrderAnnotation;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * When Redis cannot answer the rate limiter in time, each instance decides in memory at the
 * partner's limit divided by the expected instances (two by default): a partner over its rate is
 * still refused, one within it is still served, and the metric counts every such decision. Redis
 * is slowed first (all its clients paused), then shut down for good, hence the order.
 */
@QuarkusTest
@WithTestResource(value = DisposableRedis.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
@TestMethodOrder(OrderAnnotation.class)
class RateLimiterOutageTest {

    private static final String FALLBACK_DECISIONS = "ledger.rate.limiter.fallback";
    private static final Duration PAUSE = Duration.ofSeconds(5);

    @Inject
    RedisDataSource redis;

    @Inject
    MeterRegistry registry;

    @Test
    @Order(1)
    void shouldStillLimitAPartnerOverItsRateWhileRedisIsSlow() throws Exception {
        TestPartner flooding = Partners.create(1, "read");
        TestPartner steady = Partners.create(1000, "read");
        UUID memberId = LedgerApi.enroll();
        double fallbackBefore = registry.counter(FALLBACK_DECISIONS).count();

        // Every Redis client, this test's too, waits until the pause ends: far beyond the
        // limiter's 200 ms, long enough for the requests below even on a loaded machine.
        long pausedAt = System.nanoTime();
        redis.execute("CLIENT", "PAUSE", Long.toString(PAUSE.toMillis()), "ALL");
        // At once: each decision first waits out the limiter's timeout, so requests sent one after
        // the other could be a second apart on a loaded machine, within even the fallback's rate.
        List<Response> flood = Concurrently.run(3, index -> as(flooding.apiKey()).get("/v1/members/{memberId}/balance", memberId));
        List<Integer> steadyStatuses = Concurrently.run(3,
                index -> as(steady.apiKey()).get("/v1/members/{memberId}/balance", memberId).statusCode());
        boolean allDuringThePause = System.nanoTime() - pausedAt < PAUSE.toNanos();
        waitForTheEndOf(pausedAt);

        assertEquals(List.of(200, 200, 200), steadyStatuses, "a partner within its rate is served");
        List<Response> limited = flood.stream().filter(response -> response.statusCode() == 429).toList();
        assertFalse(limited.isEmpty(), "a partner over its rate is refused while Redis is slow");
        for (Response response : limited) {
            assertEquals("RATE_LIMITED", response.jsonPath().getString("code"));
            assertTrue(Integer.parseInt(response.getHeader("Retry-After")) >= 1);
        }
        double decidedInMemory = registry.counter(FALLBACK_DECISIONS).count() - fallbackBefore;
        assertTrue(allDuringThePause ? decidedInMemory >= 6 : decidedInMemory >= 2,
                "every decision taken in memory is counted: " + decidedInMemory);
    }

    /** Bounded: the pause ends by itself. Commands sent before that would only queue behind it. */
    private static void waitForTheEndOf(long pausedAt) {
        long remainingMillis = (PAUSE.toNanos() - (System.nanoTime() - pausedAt)) / 1_000_000 + 100;
        if (remainingMillis > 0) {
            try {
                Thread.sleep(remainingMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    @Test
    @Order(2)
    void shouldServeEarnAndRedeemWithinTheRateWhenRedisIsDown() {
        TestPartner partner = Partners.create(100, "earn", "redeem", "read");
        UUID memberId = LedgerApi.enroll();
        assertThrows(RuntimeException.class, () -> redis.execute("SHUTDOWN", "NOSAVE"));
        double fallbackBefore = registry.counter(FALLBACK_DECISIONS).count();

        for (int index = 0; index < 6; index++) {
            as(partner.apiKey()).contentType("application/json").header("Idempotency-Key", "outage-" + index)
                    .body(Map.of("orderId", "o", "amount", Map.of("value", 1000, "currency", "USD"), "channel", "PARTNER"))
                    .post("/v1/members/{memberId}/earn", memberId).then().statusCode(201);
        }
        as(partner.apiKey()).contentType("application/json").header("Idempotency-Key", "outage-redeem")
                .body(Map.of("points", 5, "orderId", "o", "channel", "PARTNER"))
                .post("/v1/members/{memberId}/redeem", memberId).then().statusCode(201);

        assertTrue(registry.counter(FALLBACK_DECISIONS).count() >= fallbackBefore + 7,
                "every decision taken in memory is counted");
    }

    @Test
    @Order(3)
    void shouldLimitAPartnerOverItsRateWhenRedisIsDown() {
        TestPartner partner = Partners.create(2, "read");
        UUID memberId = LedgerApi.enroll();
        assertThrows(RuntimeException.class, () -> redis.execute("PING"), "Redis was shut down by the test before");

        // Two per second across two expected instances is one per second here: four requests sent
        // back to back, each answered without waiting for Redis, cannot all pass.
        List<Integer> statuses = new ArrayList<>();
        for (int index = 0; index < 4; index++) {
            statuses.add(as(partner.apiKey()).get("/v1/members/{memberId}/balance", memberId).statusCode());
        }

        assertEquals(200, statuses.get(0));
        assertTrue(statuses.contains(429), "over the fallback rate: " + statuses);
    }
}
