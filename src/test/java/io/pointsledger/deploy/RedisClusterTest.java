package io.pointsledger.deploy;

import static io.pointsledger.support.LedgerApi.earnPoints;
import static io.pointsledger.support.LedgerApi.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.MeterRegistry;
import io.pointsledger.platform.RedisKeys;
import io.pointsledger.support.Concurrently;
import io.pointsledger.support.Database;
import io.pointsledger.support.DisposableRedisCluster;
import io.pointsledger.support.LedgerApi;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The service on a real Redis Cluster of three primaries: balances cached, read and rate limits
 * taken there, with the writes of one batch (many members, so many slots and every node) cached
 * without a single failed Redis call.
 */
@QuarkusTest
@TestProfile(RedisClusterTest.OnARedisCluster.class)
class RedisClusterTest {

    private static final int MEMBERS = 40;
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    /**
     * The cache's 200 ms per call is for answering fast; here the point is where each call goes, so
     * a slow first call (the client learning the cluster's slots on a busy machine) is no failure.
     */
    public static class OnARedisCluster implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(DisposableRedisCluster.class));
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("points-ledger.balance-cache.timeout", "PT2S");
        }
    }

    @Inject
    RedisDataSource redis;

    @Inject
    MeterRegistry registry;

    @Inject
    Pool pool;

    @Test
    void shouldCacheTheBalancesOfConcurrentWritesSpreadOverEveryNode() throws Exception {
        double failuresBefore = registry.counter("ledger.balance.cache.failures").count();
        List<UUID> members = IntStream.range(0, MEMBERS).mapToObj(index -> LedgerApi.enroll()).toList();

        // Sent at once, so that batches hold many members, whose keys are on every node.
        Concurrently.run(MEMBERS, index -> earnPoints(members.get(index), "cluster-" + members.get(index), 10 + index))
                .forEach(response -> response.then().statusCode(201));

        for (int index = 0; index < MEMBERS; index++) {
            UUID memberId = members.get(index);
            String version = Long.toString(Database.account(pool, memberId).getLong("version"));
            await().atMost(TIMEOUT).until(() -> version.equals(redis.hash(String.class).hget(key(memberId), "version")));
            given().get("/v1/members/{memberId}/balance", memberId).then().statusCode(200)
                    .body("available", org.hamcrest.Matchers.equalTo(10 + index));
        }
        for (int node = 0; node < DisposableRedisCluster.NODES; node++) {
            assertTrue(Long.parseLong(DisposableRedisCluster.command(node, "DBSIZE")) > 0, "node " + node + " holds balances");
        }
        assertEquals(failuresBefore, registry.counter("ledger.balance.cache.failures").count(), "no Redis call failed");
    }

    @Test
    void shouldPlaceAMembersKeyByItsHashTag() {
        UUID memberId = UUID.randomUUID();
        assertEquals(DisposableRedisCluster.command(0, "CLUSTER", "KEYSLOT", memberId.toString()),
                DisposableRedisCluster.command(0, "CLUSTER", "KEYSLOT", key(memberId)));
        assertEquals(DisposableRedisCluster.command(0, "CLUSTER", "KEYSLOT", "operator"),
                DisposableRedisCluster.command(0, "CLUSTER", "KEYSLOT", RedisKeys.tagged("points-ledger:rate:", "operator")));
    }

    private static String key(UUID memberId) {
        return RedisKeys.tagged("points-ledger:balance:", memberId);
    }
}
