package io.pointsledger.campaigns;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.pubsub.ReactivePubSubCommands;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * The active campaigns, held in memory on every instance so that an earn evaluates them without
 * a round trip. Loaded at start; after a change the instance that made it reloads at once and
 * tells the others through a Redis channel ({@value #CHANNEL}, the new revision as the message),
 * and each instance also checks the revision every {@link CampaignsConfig#refreshInterval()}, which
 * bounds the delay when a broadcast is lost. A copy only ever moves to a higher revision.
 */
@ApplicationScoped
public class ActiveCampaigns {

    static final String CHANNEL = "points-ledger:campaign-changes";

    private static final Logger LOG = Logger.getLogger(ActiveCampaigns.class);

    /**
     * The active campaigns as of {@code revision}, the highest change of any campaign then (changes
     * commit in revision order), in the order they apply: highest priority first, then the one
     * created first. Revision -1: not loaded yet.
     */
    public record Snapshot(long revision, List<Campaign> campaigns) {

        public boolean loaded() {
            return revision >= 0;
        }
    }

    private final CampaignRepository repository;
    private final ReactivePubSubCommands<String> pubSub;
    private final Vertx vertx;
    private final CampaignsConfig config;
    private final AtomicReference<Snapshot> current = new AtomicReference<>(new Snapshot(-1, List.of()));
    private final AtomicBoolean subscribed = new AtomicBoolean();
    private final AtomicBoolean subscribing = new AtomicBoolean();
    private volatile boolean stopped;
    private long timerId = -1;

    ActiveCampaigns(CampaignRepository repository, ReactiveRedisDataSource redis, Vertx vertx, CampaignsConfig config,
            MeterRegistry registry) {
        this.repository = repository;
        this.pubSub = redis.pubsub(String.class);
        this.vertx = vertx;
        this.config = config;
        Gauge.builder("ledger.campaigns.active", this, campaigns -> campaigns.current().campaigns().size())
                .description("Active campaigns in this instance's copy").register(registry);
        Gauge.builder("ledger.campaigns.revision", this, campaigns -> campaigns.current().revision())
                .description("Revision of this instance's copy of the active campaigns (-1 before the first load)")
                .register(registry);
    }

    /** This instance's copy: what an earn here applies now. */
    public Snapshot current() {
        return current.get();
    }

    void start(@Observes StartupEvent startup) {
        try {
            reload().await().atMost(config.loadTimeout());
        } catch (RuntimeException e) {
            LOG.warnf("Active campaigns not loaded at start, retrying every %s: %s", config.refreshInterval(), e.toString());
        }
        subscribeIfMissing();
        timerId = vertx.setPeriodic(config.refreshInterval().toMillis(), tick -> {
            subscribeIfMissing();
            refreshIfBehind();
        });
    }

    void stop(@Observes ShutdownEvent shutdown) {
        stopped = true;
        vertx.cancelTimer(timerId);
    }

    /** After a committed change: this instance reloads, then tells the others. Never fails. */
    Uni<Void> changed() {
        return reload()
                .chain(snapshot -> pubSub.publish(CHANNEL, Long.toString(snapshot.revision()))
                        .ifNoItem().after(config.broadcastTimeout()).fail())
                .replaceWithVoid()
                .onFailure().recoverWithItem(failure -> {
                    LOG.warnf("Campaign change not broadcast; other instances see it within %s: %s", config.refreshInterval(),
                            failure.toString());
                    return null;
                });
    }

    private Uni<Snapshot> reload() {
        return repository.active().map(this::keepNewer);
    }

    private Snapshot keepNewer(Snapshot loaded) {
        return current.updateAndGet(held -> loaded.revision() >= held.revision() ? loaded : held);
    }

    private void refreshIfBehind() {
        repository.revision()
                .chain(revision -> revision > current().revision() ? reload().replaceWithVoid() : Uni.createFrom().voidItem())
                .subscribe().with(done -> { }, failure -> LOG.debugf("Campaign refresh failed: %s", failure.toString()));
    }

    private void announced(String revision) {
        long announced;
        try {
            announced = Long.parseLong(revision);
        } catch (NumberFormatException e) {
            return;
        }
        if (announced > current().revision()) {
            reload().subscribe().with(done -> { }, failure -> LOG.debugf("Campaign reload failed: %s", failure.toString()));
        }
    }

    private void subscribeIfMissing() {
        if (stopped || subscribed.get() || !subscribing.compareAndSet(false, true)) {
            return;
        }
        pubSub.subscribe(CHANNEL, this::announced, this::lost, failure -> lost())
                .ifNoItem().after(config.broadcastTimeout()).fail()
                .subscribe().with(subscriber -> {
                    subscribed.set(true);
                    subscribing.set(false);
                    // Changes made while this instance was not listening were missed.
                    refreshIfBehind();
                }, failure -> {
                    subscribing.set(false);
                    LOG.debugf("Not subscribed to campaign changes, retrying on the next tick: %s", failure.toString());
                });
    }

    private void lost() {
        if (subscribed.compareAndSet(true, false) && !stopped) {
            LOG.warnf("Subscription to campaign changes lost; until it is back, other instances' changes take up to %s here",
                    config.refreshInterval());
        }
    }
}
