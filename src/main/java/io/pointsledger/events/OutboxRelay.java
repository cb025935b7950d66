package io.pointsledger.events;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Publishes outbox rows to the event channels and deletes them only after the broker
 * acknowledged them: at-least-once, in commit order per member (Kafka key = member id). The
 * publish happens inside the transaction that deletes the rows, so a crash before the commit
 * leaves them in the outbox for the next run; a crash after the broker acknowledged but before
 * the commit publishes them again, which consumers tolerate (they are idempotent).
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    /** Event types for members (webhooks, messaging) rather than for ledger consumers. */
    private static final java.util.Set<String> NOTIFICATIONS = java.util.Set.of("TIER_CHANGED", "POINTS_EXPIRING");

    private final OutboxRepository repository;
    private final EventsConfig config;
    private final MutinyEmitter<String> ledgerEvents;
    private final MutinyEmitter<String> notifications;
    /** Bounds one run's work, so that a huge backlog cannot keep a run going indefinitely. */
    private static final int BATCHES_PER_RUN_MAX = 20;

    private final Vertx vertx;
    private final AtomicBoolean running = new AtomicBoolean();
    private long timerId;
    private final AtomicInteger consecutiveFailures = new AtomicInteger();
    private final AtomicReference<Instant> pausedUntil = new AtomicReference<>(Instant.EPOCH);
    private final AtomicReference<double[]> backlog = new AtomicReference<>(new double[] {0, 0});

    OutboxRelay(OutboxRepository repository, EventsConfig config, MeterRegistry registry, Vertx vertx,
            @Channel("ledger-events") MutinyEmitter<String> ledgerEvents,
            @Channel("notifications") MutinyEmitter<String> notifications) {
        this.repository = repository;
        this.config = config;
        this.vertx = vertx;
        this.ledgerEvents = ledgerEvents;
        this.notifications = notifications;
        Gauge.builder("ledger.events.lag", backlog, value -> value.get()[0])
                .description("Ledger events committed but not yet acknowledged by the broker")
                .register(registry);
        Gauge.builder("ledger.events.lag.seconds", backlog, value -> value.get()[1])
                .description("Age of the oldest unpublished ledger event")
                .register(registry);
    }

    /**
     * A Vert.x timer rather than {@code @Scheduled}: the scheduler's finest interval is a second,
     * and event latency is the interval. One run at a time; a run that finds full batches keeps
     * going, up to {@link #BATCHES_PER_RUN_MAX}, so a backlog drains without waiting for ticks.
     */
    void start(@Observes StartupEvent startup) {
        timerId = vertx.setPeriodic(config.relayInterval().toMillis(), tick -> {
            if (running.compareAndSet(false, true)) {
                relay(BATCHES_PER_RUN_MAX).subscribe().with(done -> running.set(false), failure -> running.set(false));
            }
        });
    }

    void stop(@Observes ShutdownEvent shutdown) {
        vertx.cancelTimer(timerId);
    }

    private Uni<Void> relay(int batchesLeft) {
        if (batchesLeft == 0 || Instant.now().isBefore(pausedUntil.get())) {
            return Uni.createFrom().voidItem();
        }
        return publishBatch()
                .invoke(published -> consecutiveFailures.set(0))
                .flatMap(published -> published == config.relayBatchSize() ? relay(batchesLeft - 1) : Uni.createFrom().voidItem())
                .onFailure().invoke(this::backOff)
                .onFailure().recoverWithNull();
    }

    /** Publishes one batch; answers how many events went out (0 when another instance holds the relay lock). */
    public Uni<Integer> publishBatch() {
        return repository.pool().withTransaction(transaction -> repository.tryRelayLock(transaction).flatMap(locked -> locked
                ? repository.oldest(transaction, config.relayBatchSize()).flatMap(events -> events.isEmpty()
                        ? Uni.createFrom().item(0)
                        : publish(events).flatMap(ignored -> repository.delete(transaction, events)).replaceWith(events.size()))
                : Uni.createFrom().item(0)));
    }

    @Scheduled(every = "PT5S")
    Uni<Void> measureBacklog() {
        return repository.backlog().invoke(backlog::set).replaceWithVoid().onFailure().recoverWithNull();
    }

    /** Sends in commit order and waits, bounded, until every message is acknowledged. */
    private Uni<Void> publish(List<OutboxEvent> events) {
        List<Uni<Void>> acknowledgements = events.stream().map(this::send).toList();
        return Uni.join().all(acknowledgements).andFailFast()
                .ifNoItem().after(config.publishTimeout()).fail()
                .replaceWithVoid();
    }

    private Uni<Void> send(OutboxEvent event) {
        Message<String> message = Message.of(event.payload()).addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                .withKey(event.memberId().toString())
                .build());
        return NOTIFICATIONS.contains(event.eventType()) ? notifications.sendMessage(message) : ledgerEvents.sendMessage(message);
    }

    private void backOff(Throwable failure) {
        int failures = consecutiveFailures.incrementAndGet();
        long delayMillis = Math.min(config.retryBackoffMax().toMillis(),
                config.retryBackoffInitial().toMillis() << Math.min(failures - 1, 16));
        pausedUntil.set(Instant.now().plus(Duration.ofMillis(delayMillis)));
        LOG.warnf("Outbox relay failed (%d in a row), retrying in %d ms: %s", failures, delayMillis, failure.toString());
    }
}
