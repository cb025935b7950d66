package io.pointsledger.partners;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Per-partner token buckets in Redis: one atomic script call per request, shared by every
 * service instance. The bucket holds one second of the partner's rate. When Redis cannot answer
 * in time the limiter fails open: earn and redeem must not stop because a guard rail is down.
 */
@ApplicationScoped
public class RateLimiter {

    private static final Logger LOG = Logger.getLogger(RateLimiter.class);
    private static final long FAIL_OPEN_LOG_INTERVAL_MILLIS = 10_000;

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
    private final Counter failOpen;
    private final Counter limited;
    private final AtomicLong lastFailOpenLog = new AtomicLong();

    RateLimiter(ReactiveRedisDataSource redis, SecurityConfig config, MeterRegistry registry) {
        this.redis = redis;
        this.config = config;
        this.failOpen = Counter.builder("ledger.rate.limiter.fail.open")
                .description("Requests let through unchecked because Redis did not answer the rate limiter")
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
        return redis.execute("EVAL", TAKE_TOKEN, "1", config.rateLimiterKeyPrefix() + caller.partnerId(),
                        Integer.toString(caller.rateLimitPerSecond()))
                .ifNoItem().after(config.rateLimiterTimeout()).fail()
                .map(response -> {
                    if (response.get(0).toInteger() == 1) {
                        return (Duration) null;
                    }
                    limited.increment();
                    return Duration.ofNanos(response.get(1).toLong() * 1000);
                })
                .onFailure().recoverWithItem(failure -> {
                    failOpen.increment();
                    logFailOpen(failure);
                    return null;
                });
    }

    private void logFailOpen(Throwable failure) {
        long now = System.currentTimeMillis();
        long last = lastFailOpenLog.get();
        if (now - last >= FAIL_OPEN_LOG_INTERVAL_MILLIS && lastFailOpenLog.compareAndSet(last, now)) {
            LOG.warnf("Rate limiter failing open: Redis did not answer (%s). Requests pass unchecked; "
                    + "see metric ledger_rate_limiter_fail_open_total", failure.toString());
        }
    }
}
