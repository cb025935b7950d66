package io.pointsledger.ledger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.pointsledger.tiers.Tier;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Balances in Redis, written after commit. Writes are versioned by a script that runs atomically
 * in Redis: an older version never overwrites a newer one, whatever order concurrent writers
 * arrive in. Every call is bounded by a timeout, and a failure is a cache miss, never an error.
 */
@ApplicationScoped
public class BalanceCache {

    private static final Logger LOG = Logger.getLogger(BalanceCache.class);

    /** KEYS[1] balance hash; ARGV version, posted, held, tier, expiring JSON, lifetime seconds. Answers 1 if written. */
    private static final String STORE_IF_NEWER = """
            local current = redis.call('HGET', KEYS[1], 'version')
            if current and tonumber(current) >= tonumber(ARGV[1]) then
              return 0
            end
            redis.call('HSET', KEYS[1], 'version', ARGV[1], 'posted', ARGV[2], 'held', ARGV[3], 'tier', ARGV[4],
                       'expiring', ARGV[5])
            redis.call('EXPIRE', KEYS[1], ARGV[6])
            return 1""";

    private final ReactiveRedisDataSource redis;
    private final CacheConfig config;
    private final Counter failures;

    BalanceCache(ReactiveRedisDataSource redis, CacheConfig config, MeterRegistry registry) {
        this.redis = redis;
        this.config = config;
        this.failures = Counter.builder("ledger.balance.cache.failures")
                .description("Redis calls of the balance cache that failed or timed out (answered from PostgreSQL)")
                .register(registry);
    }

    /** The cached balance, or null on a miss, a timeout or an unreachable Redis. */
    public Uni<Balance> find(UUID memberId) {
        return redis.execute("HMGET", key(memberId), "version", "posted", "held", "tier", "expiring")
                .ifNoItem().after(config.timeout()).fail()
                .map(response -> toBalance(memberId, response))
                .onFailure().recoverWithItem(failure -> {
                    recordFailure("read", failure);
                    return null;
                });
    }

    /** Stores the balance unless Redis already holds the same or a newer version. Never fails. */
    public Uni<Void> store(Balance balance) {
        return redis.execute("EVAL", STORE_IF_NEWER, "1", key(balance.memberId()),
                        Long.toString(balance.version()), Long.toString(balance.posted()),
                        Long.toString(balance.held()), balance.tier().name(), expiringJson(balance),
                        Long.toString(config.entryLifetime().toSeconds()))
                .ifNoItem().after(config.timeout()).fail()
                .replaceWithVoid()
                .onFailure().recoverWithItem(failure -> {
                    recordFailure("write", failure);
                    return null;
                });
    }

    /** Drops the member's entry, so that the next read goes to PostgreSQL. Never fails. */
    public Uni<Void> evict(UUID memberId) {
        return redis.execute("DEL", key(memberId))
                .ifNoItem().after(config.timeout()).fail()
                .replaceWithVoid()
                .onFailure().recoverWithItem(failure -> {
                    recordFailure("evict", failure);
                    return null;
                });
    }

    private String key(UUID memberId) {
        return config.keyPrefix() + memberId;
    }

    private void recordFailure(String operation, Throwable failure) {
        failures.increment();
        LOG.debugf("Balance cache %s failed, using PostgreSQL: %s", operation, failure);
    }

    private static Balance toBalance(UUID memberId, Response response) {
        if (response == null || response.size() < 5 || response.get(0) == null || response.get(4) == null) {
            return null;
        }
        return Balance.of(memberId, Tier.valueOf(response.get(3).toString()),
                response.get(1).toLong(), response.get(2).toLong(), response.get(0).toLong(),
                LedgerRepository.expiring(new JsonArray(response.get(4).toString())));
    }

    private static String expiringJson(Balance balance) {
        JsonArray expiring = new JsonArray();
        balance.expiring().forEach(entry -> expiring.add(new JsonObject()
                .put("date", entry.date().toString()).put("points", entry.points())));
        return expiring.encode();
    }
}
