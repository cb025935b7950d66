package io.pointsledger.events;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.SerializationException;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;

/**
 * Publishes outbox rows to the event channels and deletes them only after the broker
 * acknowledged them: at least once, in commit order per member (Kafka key = member id).
 *
 * <p>Backpressure: at most {@link EventsConfig#relayInFlightMax()} events are sent and not yet
 * acknowledged; the next goes out when one is acknowledged. In process, an acknowledgement means
 * every consumer group has applied the event, so the relay runs exactly as fast as the slowest
 * consumer; on Kafka, as fast as the broker.
 *
 * <p>No transaction is open while the relay waits for the broker: it reads a batch, publishes
 * it, then deletes what was acknowledged, each in a statement of its own. A crash in between
 * publishes the batch again, which consumers tolerate (they are idempotent). One relay at a time,
 * across instances, by a lease renewed before each batch.
 *
 * <p>An event the broker keeps refusing on its own, while it takes the events around it, moves
 * to the dead letters after {@link EventsConfig#relayRefusalsMax()} refusals rather than holding
 * back every event behind it.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    /** Event types for members (webhooks, messaging) rather than for ledger consumers. */
    private static final Set<String> NOTIFICATIONS = Set.of("TIER_CHANGED", "POINTS_EXPIRING", "COUPON_ISSUED",
            "REWARD_REMINDER", "RESERVATION_REMINDER", "SURVEY_INVITATION");
    /** Bounds one run's work, so that a huge backlog cannot keep a run going indefinitely. */
    private static final int BATCHES_PER_RUN_MAX = 20;
    /** A backlog measurement gives up after this many measurement intervals. */
    private static final int BACKLOG_MEASURE_TIMEOUT_INTERVALS = 5;
    /** At least the relay's in-flight maximum, so that the emitter never has to refuse a send. */
    private static final int EMITTER_BUFFER_SIZE = 256;
    /** How long shutdown waits for a run in progress to end before it hands the lease over anyway. */
    private static final Duration STOP_WAIT_FOR_RUN = Duration.ofSeconds(3);
    private static final Duration STOP_POLL_INTERVAL = Duration.ofMillis(20);

    private final OutboxRepository repository;
    private final EventsConfig config;
    private final MutinyEmitter<String> ledgerEvents;
    private final MutinyEmitter<String> notifications;
    private final Vertx vertx;
    private final String leaseHolder = "relay-" + UUID.randomUUID();
    private final AtomicBoolean running = new AtomicBoolean();
    /** Set at shutdown: from then on the relay never claims the lease again. */
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final AtomicInteger consecutiveFailures = new AtomicInteger();
    /** Events handed to the broker and neither acknowledged nor refused yet. */
    private final AtomicInteger unsettled = new AtomicInteger();
    /** Monotonic time (System.nanoTime) before which the relay rests after a failure. */
    private final AtomicLong pausedUntilNanos = new AtomicLong(System.nanoTime());
    private final AtomicReference<MeasuredBacklog> backlog =
            new AtomicReference<>(new MeasuredBacklog(new OutboxRepository.Backlog(0, 0), System.nanoTime()));
    private final Counter publishedLedgerEvents;
    private final Counter publishedNotifications;
    private final Counter deadLettered;
    private long relayTimerId;
    private long measureTimerId;

    OutboxRelay(OutboxRepository repository, EventsConfig config, MeterRegistry registry, Vertx vertx,
            @Channel("ledger-events") @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = EMITTER_BUFFER_SIZE)
            MutinyEmitter<String> ledgerEvents,
            @Channel("notifications") @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = EMITTER_BUFFER_SIZE)
            MutinyEmitter<String> notifications) {
        this.repository = repository;
        this.config = config;
        this.vertx = vertx;
        this.ledgerEvents = ledgerEvents;
        this.notifications = notifications;
        this.publishedLedgerEvents = publishedCounter(registry, "ledger-events");
        this.publishedNotifications = publishedCounter(registry, "notifications");
        this.deadLettered = Counter.builder("ledger.events.dead.letters")
                .description("Events given up on after their bounded retries, moved to the dead_letters table")
                .tag("consumer", "outbox-relay")
                .register(registry);
        registerBacklogGauges(registry);
    }

    private static Counter publishedCounter(MeterRegistry registry, String channel) {
        return Counter.builder("ledger.events.published")
                .description("Events the broker acknowledged and the relay removed from the outbox")
                .tag("channel", channel)
                .register(registry);
    }

    private void countPublished(List<OutboxEvent> events) {
        long notices = events.stream().filter(event -> NOTIFICATIONS.contains(event.eventType())).count();
        publishedNotifications.increment(notices);
        publishedLedgerEvents.increment(events.size() - notices);
    }

    private void registerBacklogGauges(MeterRegistry registry) {
        Gauge.builder("ledger.events.lag", backlog, value -> value.get().backlog().events())
                .description("Ledger events committed but not yet acknowledged by the broker, as last measured")
                .register(registry);
        Gauge.builder("ledger.events.lag.seconds", backlog, value -> value.get().backlog().oldestSeconds())
                .description("Age of the oldest unpublished ledger event, as last measured")
                .register(registry);
        Gauge.builder("ledger.events.lag.measurement.age.seconds", backlog, value -> value.get().ageSeconds())
                .description("How old the ledger.events.lag measurement is")
                .register(registry);
    }

    /**
     * Vert.x timers rather than {@code @Scheduled}: the scheduler's finest interval is a second,
     * and event latency is the interval. One run at a time; a run keeps going while it moves
     * events, up to {@link #BATCHES_PER_RUN_MAX} batches, so a backlog drains without waiting for
     * ticks. Every instance measures the backlog on its own timer, whoever holds the relay lease.
     */
    void start(@Observes StartupEvent startup) {
        stopped.set(false);
        relayTimerId = vertx.setPeriodic(config.relayInterval().toMillis(), tick -> runOnce());
        measureTimerId = vertx.setPeriodic(config.backlogMeasureInterval().toMillis(), tick -> measureBacklog()
                .subscribe().with(ignored -> { }, failure -> LOG.debugf("Backlog not measured: %s", failure)));
    }

    /**
     * Hands the lease over so that another instance takes over at once instead of after the lease
     * ran out; best effort. A run still in progress would claim the lease again with its next
     * batch, after the release, and hold it for a whole lease from a process that is gone: so the
     * relay first stops claiming, then waits (bounded) for the run to end, then releases.
     * Shutdown observers run on the main thread, never an event loop, so these bounded waits are safe.
     */
    void stop(@Observes ShutdownEvent shutdown) {
        stopped.set(true);
        vertx.cancelTimer(relayTimerId);
        vertx.cancelTimer(measureTimerId);
        awaitRunEnded();
        repository.releaseLease(leaseHolder)
                .ifNoItem().after(Duration.ofSeconds(2)).recoverWithItem((Void) null)
                .onFailure().recoverWithNull()
                .await().indefinitely();
    }

    private void awaitRunEnded() {
        long deadlineNanos = System.nanoTime() + STOP_WAIT_FOR_RUN.toNanos();
        while (running.get() && System.nanoTime() - deadlineNanos < 0) {
            try {
                Thread.sleep(STOP_POLL_INTERVAL.toMillis());
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void runOnce() {
        if (!running.compareAndSet(false, true)) {
            return;
        }
        // A run that never ends would stop the relay for good: past the lease it is abandoned (its
        // events stay in the outbox and go out again with the next run).
        relay(BATCHES_PER_RUN_MAX)
                .ifNoItem().after(config.relayLease()).recoverWithItem((Void) null)
                .subscribe().with(done -> running.set(false), failure -> running.set(false));
    }

    private Uni<Void> relay(int batchesLeft) {
        if (batchesLeft == 0 || System.nanoTime() - pausedUntilNanos.get() < 0) {
            return Uni.createFrom().voidItem();
        }
        return publishBatch()
                .invoke(handled -> consecutiveFailures.set(0))
                .flatMap(handled -> handled > 0 ? relay(batchesLeft - 1) : Uni.createFrom().voidItem())
                .onFailure().invoke(this::backOff)
                .onFailure().recoverWithNull();
    }

    /**
     * Publishes one batch; answers how many events left the outbox (0 when there was nothing to
     * send, no room with the broker, another instance holds the relay lease, or this one stopped). Fails when the
     * broker refused one of them (after deleting those acknowledged before it). The relay's timer calls it one run at a time; tests may call it
     * while the timer is idle.
     */
    Uni<Integer> publishBatch() {
        if (stopped.get()) {
            return Uni.createFrom().item(0);
        }
        int room = config.relayInFlightMax() - unsettled.get();
        if (room <= 0) {
            // The broker has not settled what it already holds: nothing to send until it does.
            return Uni.createFrom().item(0);
        }
        // Never more events than there is room for: an event that could not be sent while later
        // ones were would reach consumers after them.
        return repository.claimLease(leaseHolder, config.relayLease()).flatMap(held -> held
                ? repository.oldest(Math.min(config.relayBatchSize(), room)).flatMap(this::publishAndSettle)
                : Uni.createFrom().item(0));
    }

    /**
     * Sends each row's event and those derived from it ({@link DerivedEvents}), in order; a row
     * leaves the outbox once all of its events were acknowledged (a refused one carries the row's
     * sequence, so the row and those after it go out again).
     */
    private Uni<Integer> publishAndSettle(List<OutboxEvent> events) {
        if (events.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        long deadlineNanos = System.nanoTime() + config.publishTimeout().toNanos();
        return Multi.createFrom().iterable(events.stream().flatMap(row -> DerivedEvents.publishedFrom(row).stream()).toList())
                .onItem().transformToUni(event -> sendOne(event, deadlineNanos))
                .merge(config.relayInFlightMax())
                .collect().asList()
                .flatMap(outcomes -> settle(events, outcomes));
    }

    /**
     * One event's fate: acknowledged, or refused with the reason. Never fails. The whole batch
     * shares one deadline, so that it ends well within the relay lease.
     */
    private Uni<SendOutcome> sendOne(OutboxEvent event, long deadlineNanos) {
        return Uni.createFrom().deferred(() -> send(event).ifNoItem().after(remainingAtLeastOneMilli(deadlineNanos)).fail())
                .map(ignored -> new SendOutcome(event, null))
                .onFailure().recoverWithItem(failure -> new SendOutcome(event, failure));
    }

    /** Timers take whole milliseconds: a deadline already passed still waits one. */
    private static Duration remainingAtLeastOneMilli(long deadlineNanos) {
        return Duration.ofMillis(Math.max(1, Duration.ofNanos(deadlineNanos - System.nanoTime()).toMillis()));
    }

    /**
     * Sends one event and counts it unsettled until the broker acknowledges or refuses it, even
     * if the relay stopped waiting for it: so the relay never has more than its in-flight maximum
     * with the broker, whatever timed out. A broker that never settles an event (none should: a
     * Kafka producer gives up after its delivery timeout, an in-process consumer after its bounded
     * retries) frees its place after the relay lease, so that the relay cannot stall for good.
     */
    private Uni<Void> send(OutboxEvent event) {
        unsettled.incrementAndGet();
        AtomicBoolean settled = new AtomicBoolean();
        long[] forgetTimer = new long[1];
        Runnable settle = () -> {
            if (settled.compareAndSet(false, true)) {
                unsettled.decrementAndGet();
                vertx.cancelTimer(forgetTimer[0]);
            }
        };
        forgetTimer[0] = vertx.setTimer(config.relayLease().toMillis(), timer -> settle.run());
        Message<String> message = Message.of(event.payload(),
                        () -> {
                            settle.run();
                            return CompletableFuture.completedFuture(null);
                        },
                        reason -> {
                            settle.run();
                            return CompletableFuture.completedFuture(null);
                        })
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(event.memberId().toString()).build());
        return NOTIFICATIONS.contains(event.eventType()) ? notifications.sendMessage(message) : ledgerEvents.sendMessage(message);
    }

    /**
     * Deletes the acknowledged events before the first refused one (those after it go out again
     * with it, in order). A refusal that is the event's own (see {@link #refusedForItself}) is
     * counted, and past the maximum the event moves to the dead letters.
     */
    private Uni<Integer> settle(List<OutboxEvent> events, List<SendOutcome> outcomes) {
        Optional<SendOutcome> firstRefused = outcomes.stream().filter(SendOutcome::refused)
                .min(Comparator.comparingLong(outcome -> outcome.event().sequence()));
        if (firstRefused.isEmpty()) {
            return repository.delete(events).invoke(() -> countPublished(events)).replaceWith(events.size());
        }
        OutboxEvent refused = firstRefused.get().event();
        Throwable reason = firstRefused.get().failure();
        List<OutboxEvent> acknowledged = events.stream().filter(event -> event.sequence() < refused.sequence()).toList();
        return repository.delete(acknowledged)
                .invoke(() -> countPublished(acknowledged))
                .flatMap(ignored -> refusedForItself(reason) ? countRefusal(refused, reason) : Uni.createFrom().voidItem())
                // The relay backs off before it sends the refused event again.
                .flatMap(ignored -> Uni.createFrom().failure(reason));
    }

    /**
     * True when the broker refused the event for what it is (too large, say) and would refuse it
     * again: Kafka's non-retriable errors and a payload it cannot serialise. A timeout, an unreachable broker, a full buffer or a
     * consumer that could not apply it (in process) may pass next time and never count.
     */
    static boolean refusedForItself(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof ApiException && !(cause instanceof RetriableException) || cause instanceof SerializationException) {
                return true;
            }
        }
        return false;
    }

    /** Counts the refusal, or past the maximum moves the event to the dead letters. */
    private Uni<Void> countRefusal(OutboxEvent event, Throwable reason) {
        if (event.refusals() + 1 < config.relayRefusalsMax()) {
            return repository.countRefusal(event);
        }
        LOG.errorf("Event %s refused by the broker %d times while others went through; moved to dead_letters: %s",
                event.eventId(), event.refusals() + 1, reason.toString());
        return repository.moveToDeadLetters(event, reason.toString())
                .invoke(() -> deadLettered.increment());
    }

    Uni<Void> measureBacklog() {
        return repository.backlog(config.backlogCountMax())
                .ifNoItem().after(config.backlogMeasureInterval().multipliedBy(BACKLOG_MEASURE_TIMEOUT_INTERVALS)).fail()
                .invoke(measured -> backlog.set(new MeasuredBacklog(measured, System.nanoTime())))
                .replaceWithVoid()
                .onFailure().recoverWithNull();
    }

    private void backOff(Throwable failure) {
        int failures = consecutiveFailures.incrementAndGet();
        long delayMillis = Math.min(config.retryBackoffMax().toMillis(),
                config.retryBackoffInitial().toMillis() << Math.min(failures - 1, 16));
        pausedUntilNanos.set(System.nanoTime() + Duration.ofMillis(delayMillis).toNanos());
        LOG.warnf("Outbox relay failed (%d in a row), retrying in %d ms: %s", failures, delayMillis, failure.toString());
    }

    private record SendOutcome(OutboxEvent event, Throwable failure) {
        boolean refused() {
            return failure != null;
        }
    }

    /** A backlog measurement and when it was taken (System.nanoTime). */
    private record MeasuredBacklog(OutboxRepository.Backlog backlog, long measuredAtNanos) {
        double ageSeconds() {
            return (System.nanoTime() - measuredAtNanos) / 1e9;
        }
    }
}
