package io.pointsledger.ledger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.pointsledger.platform.RedisKeys;
import io.pointsledger.tiers.Tier;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Balances in Redis, written after commit. Writes are versioned by a script that runs atomically
 * in Redis: an older version never overwrites a newer one, whatever order concurrent writers
 * arrive in. Every call is bounded by a timeout, and a failure is a cache miss, never an error.
 *
 * <p>The write path does not wait for Redis: {@link #storeInBackground} sends a batch's balances
 * in one pipelined call and the answers leave meanwhile. Until that call lands, Redis may still
 * hold a member's previous balance. So this instance keeps the balances it committed until Redis
 * is known to hold them or nothing of the member ({@code unconfirmed}), and {@link #find} answers
 * the newer of Redis and those by version: a read through this instance never answers a balance
 * older than a write it acknowledged, whether the cache write is still on its way or failed.
 * Through another instance a read may answer the previous balance for as long as the cache write
 * takes (at most {@link CacheConfig#timeout()}; the write's own answer carries the new balance).
 * A cache write that fails evicts the members it carried, so that every instance reads them from
 * PostgreSQL next; only when the eviction fails as well (Redis unreachable, when reads fail over
 * to PostgreSQL anyway) can another instance later read the older entry, until the member's next
 * write or the entry's lifetime ends.
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
    /** Redis Cluster, where one pipeline may not span the nodes of its keys. */
    private final boolean cluster;
    private final Counter failures;
    private final Counter hits;
    private final Counter misses;
    /**
     * Committed balances, newest per member, that Redis is not known to hold: their cache write is
     * on its way, or it failed and so did the eviction after it. Left when a store of the same or
     * a newer version, or an eviction, of the member lands; at most {@code unconfirmedMax} members.
     */
    private final Map<UUID, Balance> unconfirmed = new ConcurrentHashMap<>();

    BalanceCache(ReactiveRedisDataSource redis, CacheConfig config, MeterRegistry registry,
            @ConfigProperty(name = "quarkus.redis.client-type", defaultValue = "standalone") String clientType) {
        this.redis = redis;
        this.config = config;
        this.cluster = "cluster".equalsIgnoreCase(clientType);
        this.failures = Counter.builder("ledger.balance.cache.failures")
                .description("Redis calls of the balance cache that failed or timed out (answered from PostgreSQL)")
                .register(registry);
        this.hits = readCounter(registry, "hit");
        this.misses = readCounter(registry, "miss");
    }

    /**
     * Reads by what Redis answered: an entry (hit), or none, whether absent, timed out or
     * unreachable (miss: PostgreSQL answers it). Both are registered at start, so that a hit rate
     * can be computed before the first miss.
     */
    private static Counter readCounter(MeterRegistry registry, String result) {
        return Counter.builder("ledger.balance.cache.reads")
                .description("Balance reads of the cache, by whether Redis held the member's entry")
                .tag("result", result)
                .register(registry);
    }

    /**
     * The cached balance, or null on a miss, a timeout or an unreachable Redis. When this instance
     * committed a newer balance of the member that Redis is not known to hold, that one; a miss
     * stays a miss, so that PostgreSQL answers it.
     */
    public Uni<Balance> find(UUID memberId) {
        return redis.execute("HMGET", key(memberId), "version", "posted", "held", "tier", "expiring")
                .ifNoItem().after(config.timeout()).fail()
                .map(response -> {
                    Balance cached = toBalance(memberId, response);
                    (cached == null ? misses : hits).increment();
                    return cached == null ? null : newer(cached, unconfirmed.get(memberId));
                })
                .onFailure().recoverWithItem(failure -> {
                    misses.increment();
                    recordFailure("read", failure);
                    return null;
                });
    }

    /** Stores the balance unless Redis already holds the same or a newer version. Never fails. */
    public Uni<Void> store(Balance balance) {
        return redis.execute("EVAL", storeArguments(balance))
                .ifNoItem().after(config.timeout()).fail()
                .invoke(() -> confirmed(balance))
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

    /**
     * Stores the balances, each unless Redis holds the same or a newer version, in one pipelined
     * Redis call that nobody waits for; a failure is counted and evicts the members it carried.
     * Never throws.
     */
    public void storeInBackground(List<Balance> balances) {
        if (balances.isEmpty()) {
            return;
        }
        try {
            Map<UUID, Balance> newest = new LinkedHashMap<>();
            balances.forEach(balance -> newest.merge(balance.memberId(), balance, BalanceCache::newer));
            newest.values().forEach(this::remember);
            List<Request> stores = newest.values().stream().map(this::storeRequest).toList();
            sendAll(stores)
                    .ifNoItem().after(config.timeout()).fail()
                    .subscribe().with(stored -> newest.values().forEach(this::confirmed), failure -> {
                        recordFailure("write", failure);
                        evictInBackground(newest.values());
                    });
        } catch (RuntimeException failure) {
            // The writes are committed and about to be answered: a cache that cannot even be
            // asked is a miss, never a reason to leave them unanswered.
            recordFailure("write", failure);
        }
    }

    /**
     * The entries are dropped so that the next read rebuilds them from PostgreSQL: the store may
     * not have reached Redis, which would then keep an older balance for its whole lifetime.
     */
    private void evictInBackground(Collection<Balance> balances) {
        List<Request> evictions = balances.stream().map(balance -> Request.cmd(Command.DEL).arg(key(balance.memberId()))).toList();
        // An eviction that fails leaves the balances remembered: Redis may keep an older entry.
        Uni.createFrom().deferred(() -> sendAll(evictions))
                .ifNoItem().after(config.timeout()).fail()
                .subscribe().with(evicted -> balances.forEach(this::confirmed), failure -> recordFailure("evict", failure));
    }

    private void remember(Balance balance) {
        if (unconfirmed.size() < config.unconfirmedMax() || unconfirmed.containsKey(balance.memberId())) {
            unconfirmed.merge(balance.memberId(), balance, BalanceCache::newer);
        }
    }

    /** Redis holds this version or a newer one of the member, or nothing: it no longer needs remembering. */
    private void confirmed(Balance balance) {
        unconfirmed.computeIfPresent(balance.memberId(),
                (memberId, remembered) -> remembered.version() <= balance.version() ? null : remembered);
    }

    private Request storeRequest(Balance balance) {
        Request request = Request.cmd(Command.EVAL);
        for (String argument : storeArguments(balance)) {
            request.arg(argument);
        }
        return request;
    }

    private String[] storeArguments(Balance balance) {
        return new String[] {STORE_IF_NEWER, "1", key(balance.memberId()),
                Long.toString(balance.version()), Long.toString(balance.posted()),
                Long.toString(balance.held()), balance.tier().name(), expiringJson(balance),
                Long.toString(config.entryLifetime().toSeconds())};
    }

    /**
     * One pipeline on one Redis. A cluster refuses a pipeline whose keys are on several nodes: the
     * requests then go one by one, all at once, each to its key's node, through the client's pool
     * (its waiting queue, {@code quarkus.redis.max-pool-waiting}, holds a batch's worth), which
     * returns every connection whether the call completes, fails or is abandoned at the timeout.
     */
    private Uni<Void> sendAll(List<Request> requests) {
        if (!cluster) {
            return redis.getRedis().batch(requests).replaceWithVoid();
        }
        return Uni.join().all(requests.stream().map(request -> redis.getRedis().send(request)).toList())
                .andFailFast().replaceWithVoid();
    }

    /** The higher version of two balances of one member, either of which may be null. */
    private static Balance newer(Balance first, Balance second) {
        if (first == null || second == null) {
            return first == null ? second : first;
        }
        return second.version() > first.version() ? second : first;
    }

    private String key(UUID memberId) {
        return RedisKeys.tagged(config.keyPrefix(), memberId);
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
