package io.pointsledger.partners;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.cache.Cache;
import io.quarkus.cache.CacheName;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.pubsub.ReactivePubSubCommands;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Tells every instance at once that a key was revoked, through a Redis channel
 * ({@value #CHANNEL}): each instance drops the key from its cache of key look-ups on receipt, so
 * the key's next request there is looked up again and refused.
 *
 * <p>Redis is a messenger here, never the authority: the revocation is committed in PostgreSQL
 * first. When Redis is down, a message is lost, or an instance is not subscribed, the cache's
 * expiry after write ({@code quarkus.cache.caffeine."api-keys".expire-after-write}, 30 s) still
 * bounds how long another instance accepts the key. An instance that (re)subscribes drops its
 * whole cache, since it may have missed revocations meanwhile; each key then costs one look-up.
 * The message is the key's SHA-256 in hex, the cache's own key: it reveals nothing usable.
 */
@ApplicationScoped
public class KeyRevocationBroadcast {

    static final String CHANNEL = "points-ledger:api-key-revocations";

    private static final Logger LOG = Logger.getLogger(KeyRevocationBroadcast.class);

    private final ReactivePubSubCommands<String> pubSub;
    private final Cache keyCache;
    private final Vertx vertx;
    private final SecurityConfig config;
    private final Counter publishFailures;
    private final Counter received;
    private final AtomicBoolean subscribed = new AtomicBoolean();
    private final AtomicBoolean subscribing = new AtomicBoolean();
    private volatile boolean stopped;
    private long resubscribeTimerId = -1;

    KeyRevocationBroadcast(ReactiveRedisDataSource redis, @CacheName(PartnerService.KEY_CACHE) Cache keyCache, Vertx vertx,
            SecurityConfig config, MeterRegistry registry) {
        this.pubSub = redis.pubsub(String.class);
        this.keyCache = keyCache;
        this.vertx = vertx;
        this.config = config;
        this.publishFailures = Counter.builder("ledger.api.key.revocation.publish.failures")
                .description("Key revocations other instances were not told of at once (they learn within the cache lifetime)")
                .register(registry);
        this.received = Counter.builder("ledger.api.key.revocations.received")
                .description("Key revocations received from the Redis channel, this instance's own included")
                .register(registry);
    }

    /**
     * Subscribes now, and checks the subscription on a timer: one attempt per tick while it is
     * missing (Redis down at startup, or the connection lost), never a loop of retries.
     */
    void start(@Observes StartupEvent startup) {
        subscribeIfMissing();
        resubscribeTimerId = vertx.setPeriodic(config.revocationResubscribeInterval().toMillis(), tick -> subscribeIfMissing());
    }

    void stop(@Observes ShutdownEvent shutdown) {
        stopped = true;
        vertx.cancelTimer(resubscribeTimerId);
    }

    /**
     * Tells the other instances that the key with this cache key was revoked. Never fails: the
     * revocation is already committed, and an instance that misses it stops accepting the key when
     * its cache entry expires.
     */
    Uni<Void> publish(String revokedCacheKey) {
        return pubSub.publish(CHANNEL, revokedCacheKey)
                .ifNoItem().after(config.revocationBroadcastTimeout()).fail()
                .onFailure().recoverWithItem(failure -> {
                    publishFailures.increment();
                    LOG.warnf("Key revocation not broadcast (other instances refuse the key within the cache lifetime): %s",
                            failure.toString());
                    return null;
                });
    }

    private void subscribeIfMissing() {
        if (stopped || subscribed.get() || !subscribing.compareAndSet(false, true)) {
            return;
        }
        pubSub.subscribe(CHANNEL, this::revoked, this::lost, failure -> lost())
                .ifNoItem().after(config.revocationBroadcastTimeout()).fail()
                .subscribe().with(subscriber -> {
                    subscribed.set(true);
                    subscribing.set(false);
                    // Revocations made while this instance was not listening were missed.
                    keyCache.invalidateAll().subscribe().with(done -> { }, failure -> { });
                }, failure -> {
                    subscribing.set(false);
                    LOG.debugf("Not subscribed to key revocations, retrying on the next tick: %s", failure.toString());
                });
    }

    private void revoked(String revokedCacheKey) {
        received.increment();
        keyCache.invalidate(revokedCacheKey).subscribe().with(done -> { },
                failure -> LOG.warnf("Revoked key not dropped from the cache: %s", failure.toString()));
    }

    private void lost() {
        if (subscribed.compareAndSet(true, false) && !stopped) {
            LOG.warn("Subscription to key revocations lost; until it is back, other instances' revocations take up to the"
                    + " cache lifetime here");
        }
    }
}
