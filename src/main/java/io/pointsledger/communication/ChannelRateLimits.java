package io.pointsledger.communication;

import io.pointsledger.platform.RedisKeys;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Each channel's send rate, shared by every instance: a token bucket per channel in Redis, from
 * which a round takes as many tokens as it would send, and sends as many messages as it got. The
 * bucket holds one second of the rate. When Redis cannot answer in time, each instance takes from
 * a bucket of its own at the rate divided by the instances the configuration expects.
 */
@ApplicationScoped
class ChannelRateLimits {

    private static final Logger LOG = Logger.getLogger(ChannelRateLimits.class);
    private static final String KEY_PREFIX = "points-ledger:message-rate:";
    private static final Duration REDIS_TIMEOUT = Duration.ofMillis(200);

    /** KEYS[1] bucket; ARGV[1] tokens per second (= capacity), ARGV[2] tokens wanted. Answers the tokens taken. */
    private static final String TAKE_UP_TO = """
            local rate = tonumber(ARGV[1])
            local wanted = tonumber(ARGV[2])
            local clock = redis.call('TIME')
            local now = tonumber(clock[1]) * 1000000 + tonumber(clock[2])
            local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
            local tokens = tonumber(state[1]) or rate
            local at = tonumber(state[2]) or now
            tokens = math.min(rate, tokens + (now - at) * rate / 1000000)
            local taken = math.min(wanted, math.floor(tokens))
            tokens = tokens - taken
            redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
            redis.call('PEXPIRE', KEYS[1], 2000)
            return taken""";

    /** KEYS[1] bucket; ARGV[1] tokens per second (= capacity), ARGV[2] tokens given back. */
    private static final String GIVE_BACK = """
            local rate = tonumber(ARGV[1])
            local tokens = tonumber(redis.call('HGET', KEYS[1], 'tokens'))
            if tokens then
              redis.call('HSET', KEYS[1], 'tokens', tostring(math.min(rate, tokens + tonumber(ARGV[2]))))
            end
            return 0""";

    private final ReactiveRedisDataSource redis;
    private final int fallbackInstances;
    /** This instance's buckets while Redis cannot answer, by bucket name; a handful (one per channel). */
    private final Map<String, LocalBucket> fallback = new ConcurrentHashMap<>();
    private final AtomicLong fallbackDecisions = new AtomicLong();

    ChannelRateLimits(ReactiveRedisDataSource redis, CommunicationConfig config) {
        this.redis = redis;
        this.fallbackInstances = config.dispatch().rateLimitFallbackInstances();
    }

    /** Takes up to {@code wanted} of the channel's tokens at {@code ratePerSecond}: how many it got, maybe none. */
    Uni<Integer> take(ContactChannel channel, int ratePerSecond, int wanted) {
        return take(channel.name(), channel, ratePerSecond, wanted);
    }

    /** As {@link #take(ContactChannel, int, int)}, from the bucket named {@code bucket}. */
    Uni<Integer> take(String bucket, ContactChannel channel, int ratePerSecond, int wanted) {
        return redis.execute("EVAL", TAKE_UP_TO, "1", RedisKeys.tagged(KEY_PREFIX, bucket), Integer.toString(ratePerSecond),
                        Integer.toString(wanted))
                .ifNoItem().after(REDIS_TIMEOUT).fail()
                .map(response -> response.toInteger())
                .onFailure().recoverWithItem(failure -> {
                    LOG.debugf("Message rate of %s decided in memory: %s", channel, failure);
                    fallbackDecisions.incrementAndGet();
                    return fallback.computeIfAbsent(bucket, name -> new LocalBucket())
                            .take(Math.max(1.0, ratePerSecond / (double) fallbackInstances), wanted);
                });
    }

    /**
     * Returns {@code count} tokens a round took and did not use (fewer messages were due): an
     * instance with nothing to send must not spend the rate the others need. Best effort: a
     * failure only leaves the tokens spent.
     */
    Uni<Void> giveBack(ContactChannel channel, int ratePerSecond, int count) {
        if (count <= 0) {
            return Uni.createFrom().voidItem();
        }
        return redis.execute("EVAL", GIVE_BACK, "1", RedisKeys.tagged(KEY_PREFIX, channel.name()), Integer.toString(ratePerSecond),
                        Integer.toString(count))
                .ifNoItem().after(REDIS_TIMEOUT).fail()
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    /** Decisions taken in memory since start: Redis did not answer in time. */
    long fallbackDecisions() {
        return fallbackDecisions.get();
    }

    /** A bucket of this instance, holding one second of its rate; time from System.nanoTime. */
    private static final class LocalBucket {
        private double tokens = -1;
        private long atNanos;

        synchronized int take(double ratePerSecond, int wanted) {
            long now = System.nanoTime();
            tokens = tokens < 0 ? ratePerSecond : Math.min(ratePerSecond, tokens + (now - atNanos) * ratePerSecond / 1e9);
            atNanos = now;
            int taken = (int) Math.min(wanted, Math.floor(tokens));
            tokens -= taken;
            return taken;
        }
    }
}
