package io.pointsledger.ledger;

import static io.pointsledger.support.LedgerApi.earnPoints;
import static io.pointsledger.support.LedgerApi.redeem;
import static io.pointsledger.support.LedgerApi.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.MeterRegistry;
import io.pointsledger.platform.RedisKeys;
import io.pointsledger.support.Concurrently;
import io.pointsledger.support.Database;
import io.pointsledger.support.LedgerApi;
import io.pointsledger.tiers.Tier;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The cache is written after commit without the answer waiting for it, so a test that looks into
 * Redis first waits for the member's entry to reach the version PostgreSQL holds.
 */
@QuarkusTest
class BalanceCacheTest {

    private static final String KEY_PREFIX = "points-ledger:balance:";
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @Inject
    MeterRegistry registry;

    @Inject
    Pool pool;

    @Inject
    RedisDataSource redis;

    @Inject
    BalanceCache cache;

    @Test
    void shouldCacheTheCommittedBalanceAfterEveryWrite() {
        UUID memberId = LedgerApi.enroll();

        earnPoints(memberId, "cache-1-" + memberId, 300).then().statusCode(201);
        assertCacheAndApiMatchPostgres(memberId);
        redeem(memberId, "cache-2-" + memberId, 120).then().statusCode(201);
        assertCacheAndApiMatchPostgres(memberId);
        earnPoints(memberId, "cache-3-" + memberId, 7).then().statusCode(201);
        assertCacheAndApiMatchPostgres(memberId);
        assertEquals(187, LedgerApi.available(memberId));
    }

    @Test
    void shouldReadRedisFirstAndFillItFromPostgresOnAMiss() {
        UUID memberId = LedgerApi.enrollWithPoints(40);
        String key = key(memberId);
        redis.key().del(key);

        given().get("/v1/members/{memberId}/balance", memberId).then().statusCode(200).body("available", equalTo(40));
        assertEquals("1", redis.hash(String.class).hget(key, "version"), "a miss fills the cache");

        // A newer version placed in Redis is what the API answers: reads do not go to PostgreSQL.
        redis.hash(String.class).hset(key, Map.of("version", "99", "posted", "41", "held", "0", "tier", "BASIC", "expiring", "[]"));
        given().get("/v1/members/{memberId}/balance", memberId).then().statusCode(200)
                .body("available", equalTo(41))
                .body("version", equalTo(99));
        redis.key().del(key);
    }

    @Test
    void shouldCountAReadRedisHeldAsAHitAndOneItDidNotAsAMiss() {
        UUID memberId = LedgerApi.enrollWithPoints(25);
        awaitCachedVersion(memberId, 1);
        redis.key().del(key(memberId));
        double hitsBefore = reads("hit");
        double missesBefore = reads("miss");

        // The miss is answered from PostgreSQL and fills the cache, so the next read is a hit.
        given().get("/v1/members/{memberId}/balance", memberId).then().statusCode(200).body("available", equalTo(25));
        assertEquals(missesBefore + 1, reads("miss"), "the read of the deleted entry is a miss");
        assertEquals(hitsBefore, reads("hit"));
        given().get("/v1/members/{memberId}/balance", memberId).then().statusCode(200).body("available", equalTo(25));
        assertEquals(hitsBefore + 1, reads("hit"), "the read after the fill is a hit");
        assertEquals(missesBefore + 1, reads("miss"));
    }

    @Test
    void shouldNeverLetAnOlderVersionOverwriteANewerOne() {
        UUID memberId = UUID.randomUUID();
        cache.store(Balance.of(memberId, Tier.BASIC, 500, 0, 5, List.of())).await().atMost(Duration.ofSeconds(5));

        cache.store(Balance.of(memberId, Tier.BASIC, 100, 0, 3, List.of())).await().atMost(Duration.ofSeconds(5));
        cache.store(Balance.of(memberId, Tier.BASIC, 200, 0, 5, List.of())).await().atMost(Duration.ofSeconds(5));

        Balance cached = cache.find(memberId).await().atMost(Duration.ofSeconds(5));
        assertEquals(5, cached.version());
        assertEquals(500, cached.posted(), "neither an older nor an equal version replaced the entry");

        cache.store(Balance.of(memberId, Tier.SILVER, 600, 10, 6, List.of())).await().atMost(Duration.ofSeconds(5));
        assertEquals(Balance.of(memberId, Tier.SILVER, 600, 10, 6, List.of()), cache.find(memberId).await().atMost(Duration.ofSeconds(5)));
    }

    @Test
    void shouldRebuildACachedBalanceLeftStaleByALostWriteWhenTheClientRetries() {
        UUID memberId = LedgerApi.enrollWithPoints(10);
        String key = "lost-answer-" + memberId;
        earnPoints(memberId, key, 5).then().statusCode(201);
        awaitCachedVersion(memberId, 2);
        // As if the process died after the commit, before its cache write: Redis still has version 1.
        redis.hash(String.class).hset(key(memberId),
                Map.of("version", "1", "posted", "10", "held", "0", "tier", "BASIC", "expiring", "[]"));

        earnPoints(memberId, key, 5).then().statusCode(201).header("Idempotent-Replayed", "true");

        given().get("/v1/members/{memberId}/balance", memberId).then().statusCode(200)
                .body("posted", equalTo(15)).body("version", equalTo(2));
    }

    @Test
    void shouldGiveCachedEntriesABoundedLifetime() {
        UUID memberId = LedgerApi.enrollWithPoints(10);
        awaitCachedVersion(memberId, 1);
        long secondsToLive = redis.key().ttl(key(memberId));
        assertTrue(secondsToLive > 0 && secondsToLive <= 3600, "ttl " + secondsToLive);
        assertFalse(redis.key().exists(key(UUID.randomUUID())));
    }

    @Test
    void shouldNeverAnswerABalanceOlderThanAnAcknowledgedWriteWhileRedisRefusesWrites() {
        UUID memberId = LedgerApi.enrollWithPoints(10);
        awaitCachedVersion(memberId, 1);
        double failuresBefore = registry.counter("ledger.balance.cache.failures").count();
        // Redis keeps answering reads but holds every write: the cache write of the next earn, and
        // the eviction that follows its failure, cannot land, and Redis keeps version 1.
        redis.execute("CLIENT", "PAUSE", "30000", "WRITE");
        try {
            earnPoints(memberId, "while-paused-" + memberId, 5).then().statusCode(201).body("available", equalTo(15));
            assertBalance(memberId, 15, 2);

            await().atMost(TIMEOUT).until(() -> registry.counter("ledger.balance.cache.failures").count() >= failuresBefore + 2);
            assertEquals("1", redis.hash(String.class).hget(key(memberId), "version"), "Redis still holds the older entry");
            assertBalance(memberId, 15, 2);
        } finally {
            redis.execute("CLIENT", "UNPAUSE");
        }
        assertBalance(memberId, 15, 2);
        earnPoints(memberId, "after-pause-" + memberId, 1).then().statusCode(201);
        assertCacheAndApiMatchPostgres(memberId);
    }

    @Test
    void shouldHoldTheLatestVersionOnceConcurrentWritesOfOneMemberLanded() throws Exception {
        UUID memberId = LedgerApi.enroll();

        Concurrently.run(24, index -> earnPoints(memberId, "concurrent-" + index + "-" + memberId, 1 + index))
                .forEach(response -> response.then().statusCode(201));

        // 24 writes in several batches, their cache writes in several pipelined calls: whatever
        // order those land in, Redis ends at the last version and a read never answers an older one.
        assertCacheAndApiMatchPostgres(memberId);
        assertBalance(memberId, 24 * 25 / 2, 24);
    }

    private double reads(String result) {
        return registry.counter("ledger.balance.cache.reads", "result", result).count();
    }

    private static String key(UUID memberId) {
        return RedisKeys.tagged(KEY_PREFIX, memberId);
    }

    private void assertBalance(UUID memberId, long available, long version) {
        given().get("/v1/members/{memberId}/balance", memberId).then().statusCode(200)
                .body("available", equalTo((int) available))
                .body("version", equalTo((int) version));
    }

    private void awaitCachedVersion(UUID memberId, long version) {
        await().atMost(TIMEOUT).until(() -> String.valueOf(version)
                .equals(redis.hash(String.class).hget(key(memberId), "version")));
    }

    private void assertCacheAndApiMatchPostgres(UUID memberId) {
        Row account = Database.account(pool, memberId);
        awaitCachedVersion(memberId, account.getLong("version"));
        Map<String, String> cached = redis.hash(String.class).hgetall(key(memberId));
        assertEquals(String.valueOf(account.getLong("version")), cached.get("version"));
        assertEquals(String.valueOf(account.getLong("posted")), cached.get("posted"));
        assertEquals(String.valueOf(account.getLong("held")), cached.get("held"));
        JsonPath balance = given().get("/v1/members/{memberId}/balance", memberId).then().statusCode(200).extract().jsonPath();
        assertEquals(account.getLong("posted"), balance.getLong("posted"));
        assertEquals(account.getLong("held"), balance.getLong("held"));
        assertEquals(account.getLong("version"), balance.getLong("version"));
    }
}
