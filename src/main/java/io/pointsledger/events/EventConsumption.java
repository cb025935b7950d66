package io.pointsledger.events;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * How every consumer applies a batch of events, whichever broker delivered it: one member's
 * events one after the other in delivery order, different members' at the same time (bounded);
 * each event retried a bounded number of times with backoff, then recorded in the dead letters
 * with the reason, so that one bad event never holds back the events behind it.
 *
 * <p>The batch fails (and is delivered again, to a consumer that is idempotent) only if an event
 * could neither be applied nor recorded as dead: then the database itself is away, and giving up
 * on the event would lose it.
 */
@ApplicationScoped
public class EventConsumption {

    private static final Logger LOG = Logger.getLogger(EventConsumption.class);

    private final DeadLetterRepository deadLetters;
    private final EventsConfig config;
    private final MeterRegistry registry;
    private final Map<String, Meters> metersByConsumer = new ConcurrentHashMap<>();

    EventConsumption(DeadLetterRepository deadLetters, EventsConfig config, MeterRegistry registry) {
        this.deadLetters = deadLetters;
        this.config = config;
        this.registry = registry;
    }

    /**
     * Applies {@code payloads} one event at a time with {@code handler}, on behalf of
     * {@code consumer} (its name in metrics and dead letters).
     */
    public Uni<Void> apply(String consumer, List<String> payloads, Function<JsonObject, Uni<Void>> handler) {
        Meters meters = meters(consumer);
        Timer.Sample sample = Timer.start(registry);
        return applyEachEvent(consumer, readAll(payloads), handler, meters)
                .invoke(() -> finished(payloads.size(), sample, meters));
    }

    /**
     * Applies {@code payloads} with {@code batchHandler} in one go (one transaction, one commit:
     * what lets a consumer keep up with the earn peak); if that fails, event by event with
     * {@code eventHandler}, which isolates the event at fault and sends it to the dead letters.
     * Both handlers must have the same effect and be idempotent: a batch that failed may be
     * applied again event by event.
     */
    public Uni<Void> applyBatch(String consumer, List<String> payloads, Function<List<JsonObject>, Uni<Void>> batchHandler,
            Function<JsonObject, Uni<Void>> eventHandler) {
        Meters meters = meters(consumer);
        Timer.Sample sample = Timer.start(registry);
        List<Delivered> delivered = readAll(payloads);
        if (delivered.stream().anyMatch(one -> one.event() == null)) {
            return applyEachEvent(consumer, delivered, eventHandler, meters).invoke(() -> finished(payloads.size(), sample, meters));
        }
        return Uni.createFrom().deferred(() -> batchHandler.apply(delivered.stream().map(Delivered::event).toList()))
                .onFailure().recoverWithUni(failure -> {
                    LOG.debugf("Consumer %s applies a batch of %d event by event after: %s", consumer, payloads.size(), failure);
                    return applyEachEvent(consumer, delivered, eventHandler, meters);
                })
                .invoke(() -> finished(payloads.size(), sample, meters));
    }

    private static List<Delivered> readAll(List<String> payloads) {
        return payloads.stream().map(Delivered::read).toList();
    }

    private void finished(int events, Timer.Sample sample, Meters meters) {
        sample.stop(meters.batches());
        meters.consumed().increment(events);
    }

    private Uni<Void> applyEachEvent(String consumer, List<Delivered> delivered, Function<JsonObject, Uni<Void>> handler, Meters meters) {
        return Multi.createFrom().iterable(byMember(delivered).values())
                .onItem().transformToUni(memberEvents -> applyInOrder(consumer, memberEvents, handler, meters))
                .merge(config.consumerMembersInParallelMax())
                .collect().last()
                .replaceWithVoid();
    }

    /** Groups events by member, keeping each member's delivery order; an unreadable one is a group of its own. */
    private static Map<Object, List<Delivered>> byMember(List<Delivered> events) {
        Map<Object, List<Delivered>> byMember = new LinkedHashMap<>();
        for (Delivered delivered : events) {
            Object memberId = delivered.event() == null ? null : delivered.event().getValue("memberId");
            byMember.computeIfAbsent(memberId == null ? new Object() : memberId, key -> new ArrayList<>()).add(delivered);
        }
        return byMember;
    }

    private Uni<Void> applyInOrder(String consumer, List<Delivered> events, Function<JsonObject, Uni<Void>> handler, Meters meters) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (Delivered delivered : events) {
            chain = chain.flatMap(ignored -> applyOne(consumer, delivered, handler, meters));
        }
        return chain;
    }

    private Uni<Void> applyOne(String consumer, Delivered delivered, Function<JsonObject, Uni<Void>> handler, Meters meters) {
        if (delivered.event() == null) {
            return deadLetter(consumer, delivered, delivered.unreadable(), 1, meters);
        }
        int[] attempts = {0};
        return Uni.createFrom().deferred(() -> {
                    attempts[0]++;
                    return handler.apply(delivered.event());
                })
                .onFailure(EventConsumption::worthRetrying).retry()
                .withBackOff(config.consumerRetryBackoffInitial(), config.consumerRetryBackoffMax())
                .atMost(config.consumerAttemptsMax() - 1L)
                .onFailure().recoverWithUni(failure -> deadLetter(consumer, delivered, failure, attempts[0], meters));
    }

    /** A malformed event fails the same way every time; anything else may pass on a later attempt. */
    private static boolean worthRetrying(Throwable failure) {
        return !(failure instanceof IllegalArgumentException
                || failure instanceof NullPointerException
                || failure instanceof ClassCastException
                || failure instanceof DateTimeException);
    }

    private Uni<Void> deadLetter(String consumer, Delivered delivered, Throwable failure, int attempts, Meters meters) {
        LOG.errorf("Consumer %s gave up on an event after %d attempt(s), recorded in dead_letters: %s",
                consumer, attempts, failure.toString());
        return deadLetters.record(consumer, eventId(delivered), idOf(delivered.event(), "memberId"),
                        delivered.payload(), failure.toString(), attempts)
                .invoke(() -> meters.deadLetters().increment());
    }

    /**
     * What identifies the event in the dead letters, so that a redelivery adds to its row: the
     * transfer id of a ledger event; for an event without one (a notification, an unreadable
     * payload), an id derived from its content.
     */
    private static UUID eventId(Delivered delivered) {
        UUID transferId = idOf(delivered.event(), "transferId");
        return transferId != null ? transferId
                : UUID.nameUUIDFromBytes(String.valueOf(delivered.payload()).getBytes(StandardCharsets.UTF_8));
    }

    /** The first of {@code fields} that holds a UUID, or null. */
    private static UUID idOf(JsonObject event, String... fields) {
        if (event == null) {
            return null;
        }
        for (String field : fields) {
            try {
                Object value = event.getValue(field);
                if (value instanceof String text) {
                    return UUID.fromString(text);
                }
            } catch (IllegalArgumentException notAnId) {
                // Try the next field; an event without a readable id is still recorded.
            }
        }
        return null;
    }

    private Meters meters(String consumer) {
        return metersByConsumer.computeIfAbsent(consumer, this::newMeters);
    }

    private Meters newMeters(String consumer) {
        return new Meters(
                Counter.builder("ledger.events.consumed").description("Events a consumer applied or gave up on")
                        .tag("consumer", consumer).register(registry),
                Counter.builder("ledger.events.dead.letters")
                        .description("Events given up on after their bounded retries, moved to the dead_letters table")
                        .tag("consumer", consumer).register(registry),
                Timer.builder("ledger.events.consumer.batch").description("Time to apply one delivered batch of events")
                        .tag("consumer", consumer).register(registry));
    }

    /** One delivered payload, read once: the event, or why it could not be read. */
    private record Delivered(String payload, JsonObject event, RuntimeException unreadable) {
        static Delivered read(String payload) {
            try {
                return new Delivered(payload, new JsonObject(payload), null);
            } catch (RuntimeException unreadable) {
                return new Delivered(payload, null, unreadable);
            }
        }
    }

    private record Meters(Counter consumed, Counter deadLetters, Timer batches) {
    }
}
