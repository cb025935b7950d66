package io.pointsledger.partners;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.pointsledger.platform.RedisKeys;
import io.quarkus.redis.client.RedisClientName;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Per-partner token buckets in Redis: one atomic script call per request, shared by every
 * service instance. The bucket holds one second of the partner's rate.
 *
 * <p>The limiter has a Redis client of its own ({@value #REDIS_CLIENT}), so that a flood of
 * requests queueing for balance-cache connections cannot push its calls past their timeout. When
 * Redis still cannot answer in time (timeout, error, its pool exhausted), the decision falls to a
 * per-instance bucket per partner in memory, at the partner's limit divided by the instances the
 * configuration expects: a guard rail that is down must neither stop earn and redeem nor let a
 * flooding partner through unchecked.
 */
@ApplicationScoped
public class RateLimiter {

    /** The named Redis client, {@code quarkus.redis.rate-limits.*} in application.properties. */
    static final String REDIS_CLIENT = "rate-limits";

    private static final Logger LOG = Logger.getLogger(RateLimiter.class);
    private static final long FALLBACK_LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

    /**
     * KEYS[1] bucket; ARGV[1] tokens per second (= capacity). Uses Redis' clock so that every
     * instance agrees. Answers {1, 0} when allowed, {0, micros until a token} when not.
     */
    private static final String TAKE_TOKEN = """
            local rate = tonumber(ARGV[1])
            local clock = redis.call('TIME')
            local now = tonumber(clock[1]) * 1000000 + tonumber(clock[2])
            local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
            local tokens = tonumber(state[1]) or rate
            local at = tonumber(state[2]) or now
            tokens = math.min(rate, tokens + (now - at) * rate / 1000000)
            local allowed = 0
            local wait = 0
            if tokens >= 1 then
              tokens = tokens - 1
              allowed = 1
            else
              wait = math.ceil((1 - tokens) * 1000000 / rate)
            end
            redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
            redis.call('PEXPIRE', KEYS[1], 2000)
            return {allowed, wait}""";

    private final ReactiveRedisDataSource redis;
    private final SecurityConfig config;
    private final LocalTokenBuckets fallbackBuckets;
    private final Counter fallbackDecisions;
    private final Counter limited;
    /** Monotonic time (System.nanoTime) of the last fallback warning; the business clock is not for intervals. */
    private final AtomicLong lastFallbackLog = new AtomicLong(System.nanoTime() - FALLBACK_LOG_INTERVAL_NANOS);

    RateLimiter(@RedisClientName(REDIS_CLIENT) ReactiveRedisDataSource redis, SecurityConfig config,
            MeterRegistry registry) {
        this.redis = redis;
        this.config = config;
        this.fallbackBuckets = new LocalTokenBuckets(config.rateLimiterFallbackPartnersMax());
        this.fallbackDecisions = Counter.builder("ledger.rate.limiter.fallback")
                .description("Rate limit decisions taken by the in-memory fallback because Redis did not answer in time")
                .register(registry);
        this.limited = Counter.builder("ledger.rate.limiter.limited")
                .description("Requests refused with 429 RATE_LIMITED")
                .register(registry);
    }

    /** Empty when the request may proceed, else how long until it may be retried. */
    public Uni<Duration> acquire(Caller caller) {
        if (caller.rateLimitPerSecond() == null) {
            return Uni.createFrom().nullItem();
        }
        return redis.execute("EVAL", TAKE_TOKEN, "1", RedisKeys.tagged(config.rateLimiterKeyPrefix(), caller.partnerId()),
                        Integer.toString(caller.rateLimitPerSecond()))
                .ifNoItem().after(config.rateLimiterTimeout()).fail()
                .map(RateLimiter::fromRedis)
                .onFailure().recoverWithItem(failure -> fromFallback(caller, failure))
                .invoke(retryAfter -> {
                    if (retryAfter != null) {
                        limited.increment();
                    }
                });
    }

    private static Duration fromRedis(Response response) {
        if (response.get(0).toInteger() == 1) {
            return null;
        }
        return Duration.ofNanos(response.get(1).toLong() * 1000);
    }

    private Duration fromFallback(Caller caller, Throwable failure) {
        fallbackDecisions.increment();
        logFallback(failure);
        double perInstance = Math.max(1.0, caller.rateLimitPerSecond() / (double) config.rateLimiterFallbackInstances());
        return fallbackBuckets.take(caller.partnerId(), LocalTokenBuckets.Rate.perSecond(perInstance));
    }

    private void logFallback(Throwable failure) {
        long now = System.nanoTime();
        long last = lastFallbackLog.get();
        if (now - last >= FALLBACK_LOG_INTERVAL_NANOS && lastFallbackLog.compareAndSet(last, now)) {
            LOG.warnf("Rate limiter deciding in memory: Redis did not answer (%s). Each partner gets 1/%d of its "
                    + "limit on this instance; see metric ledger_rate_limiter_fallback_total",
                    failure.toString(), config.rateLimiterFallbackInstances());
        }
    }
}
