package io.pointsledger.ledger;

import static io.pointsledger.support.LedgerApi.earnPoints;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pointsledger.platform.RedisKeys;
import io.pointsledger.support.Database;
import io.pointsledger.support.LedgerApi;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A write that waits in PostgreSQL longer than the round-trip deadline answers 503 with
 * Retry-After instead of keeping the client waiting; if it commits after that answer, the
 * client's retry with its key replays it rather than applying it again.
 */
@QuarkusTest
@TestProfile(RoundTripTimeoutTest.ShortRoundTrip.class)
class RoundTripTimeoutTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    public static class ShortRoundTrip implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // Well below the statement timeout (5 s), so that the deadline, not PostgreSQL, ends the wait.
            return Map.of("points-ledger.database.round-trip-timeout", "PT1S");
        }
    }

    @Inject
    Pool pool;

    @Inject
    ReactiveRedisDataSource redis;

    @Inject
    CacheConfig cacheConfig;

    @Test
    void shouldAnswer503WhenAWriteWaitsPastTheDeadlineAndReplayItOnRetry() {
        UUID memberId = LedgerApi.enrollWithPoints(100);
        String key = "late-" + memberId;

        SqlConnection connection = pool.getConnection().await().atMost(TIMEOUT);
        try {
            // The member's account row locked by another transaction: the earn waits inside PostgreSQL.
            Transaction transaction = connection.begin().await().atMost(TIMEOUT);
            connection.preparedQuery("SELECT 1 FROM member_accounts WHERE member_id = $1 FOR UPDATE")
                    .execute(Tuple.of(memberId)).await().atMost(TIMEOUT);

            earnPoints(memberId, key, 7).then()
                    .statusCode(503)
                    .header("Retry-After", "2")
                    .body("code", equalTo("SERVICE_UNAVAILABLE"));

            transaction.rollback().await().atMost(TIMEOUT);
        } finally {
            connection.close().await().atMost(TIMEOUT);
        }

        // The write was still queued behind the lock and commits once the lock is gone.
        await().atMost(TIMEOUT).until(() -> Database.transferCount(pool, memberId) == 2);
        earnPoints(memberId, key, 7).then().statusCode(201).header("Idempotent-Replayed", "true");
        assertEquals(107, LedgerApi.available(memberId));
        assertEquals(2, Database.transferCount(pool, memberId));
        LedgerApi.assertReconciles();
    }

    @Test
    void shouldCacheTheBalanceOfAWriteThatCommitsAfterItsDeadlineWithoutARetry() {
        UUID memberId = LedgerApi.enrollWithPoints(100);
        assertEquals(100, LedgerApi.available(memberId));

        SqlConnection connection = pool.getConnection().await().atMost(TIMEOUT);
        try {
            Transaction transaction = connection.begin().await().atMost(TIMEOUT);
            connection.preparedQuery("SELECT 1 FROM member_accounts WHERE member_id = $1 FOR UPDATE")
                    .execute(Tuple.of(memberId)).await().atMost(TIMEOUT);
            earnPoints(memberId, "late-unretried-" + memberId, 7).then().statusCode(503);
            transaction.rollback().await().atMost(TIMEOUT);
        } finally {
            connection.close().await().atMost(TIMEOUT);
        }

        // Nobody retries: the cache must still learn the committed balance, in Redis (what every
        // instance reads) and through the API, instead of keeping the balance before the write.
        await().atMost(TIMEOUT).until(() -> Database.transferCount(pool, memberId) == 2);
        await().atMost(TIMEOUT).until(() -> "107".equals(cachedPosted(memberId)));
        assertEquals(107, LedgerApi.available(memberId));
    }

    private String cachedPosted(UUID memberId) {
        var posted = redis.execute("HGET", RedisKeys.tagged(cacheConfig.keyPrefix(), memberId), "posted").await().atMost(TIMEOUT);
        return posted == null ? null : posted.toString();
    }
}
