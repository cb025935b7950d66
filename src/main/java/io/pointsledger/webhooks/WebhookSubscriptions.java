package io.pointsledger.webhooks;

import io.pointsledger.events.EventConsumption;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * The webhooks' consumer groups, one per topic: each event some webhook wants becomes a delivery
 * row, in one statement per batch. Nothing here calls a receiver (the {@link WebhookDispatcher}
 * does, from the rows), so a slow or absent receiver never holds back the event stream, and the
 * stream never waits on anything but PostgreSQL.
 *
 * <p>Which event types any webhook wants is kept in memory and re-read on a timer and after each
 * change made on this instance: while no webhook wants a batch's types, the batch costs nothing
 * (it is not even parsed, and is not counted in the consumed-events metric). Reads are applied in
 * the order they began, so a slow read cannot put back what a later one replaced. Until the first
 * read, and whenever the last good read is older than three refresh intervals (PostgreSQL away),
 * every batch goes to PostgreSQL, which decides: an event is never dropped on an old answer.
 */
@ApplicationScoped
public class WebhookSubscriptions {

    static final String LEDGER_EVENTS_CHANNEL = "webhook-ledger-events";
    static final String NOTIFICATIONS_CHANNEL = "webhook-notifications";
    /** A TRANSFER_RECORDED written before events named their type has a kind (docs/events.md). */
    private static final String LEGACY_TRANSFER_FIELD = "kind";
    private static final Logger LOG = Logger.getLogger(WebhookSubscriptions.class);

    private final WebhookRepository repository;
    private final EventConsumption consumption;
    private final WebhooksConfig config;
    private final Vertx vertx;
    /** How many refresh intervals a read stays good for, when no later one succeeds. */
    private static final int READS_GOOD_FOR_INTERVALS = 3;

    /** Numbers the reads in the order they began. */
    private final AtomicLong readsBegun = new AtomicLong();
    /** The latest read applied: null until the first. */
    private final AtomicReference<Read> latest = new AtomicReference<>();
    private long refreshTimerId;

    /** The event types webhooks wanted, as a read begun as {@code number} saw them, and when it ended. */
    private record Read(long number, Set<WebhookEventType> types, long endedAtNanos) {
    }

    WebhookSubscriptions(WebhookRepository repository, EventConsumption consumption, WebhooksConfig config, Vertx vertx) {
        this.repository = repository;
        this.consumption = consumption;
        this.config = config;
        this.vertx = vertx;
    }

    void start(@Observes StartupEvent startup) {
        refreshTimerId = vertx.setPeriodic(0, config.subscriptionsRefreshInterval().toMillis(),
                tick -> refresh().subscribe().with(ignored -> { }, failure -> LOG.debugf("Webhook subscriptions not read: %s", failure)));
    }

    void stop(@Observes ShutdownEvent shutdown) {
        vertx.cancelTimer(refreshTimerId);
    }

    /** Reads again which event types any webhook wants. */
    Uni<Void> refresh() {
        long number = readsBegun.incrementAndGet();
        return repository.subscribedEventTypes()
                .invoke(types -> latest.accumulateAndGet(new Read(number, Set.copyOf(types), System.nanoTime()),
                        (current, read) -> current == null || read.number() > current.number() ? read : current))
                .replaceWithVoid();
    }

    /**
     * After a webhook was made or deleted here: reads again, and if that fails, forgets what it
     * knew, so that batches go to PostgreSQL until a read succeeds. Never fails: the change is
     * committed whatever becomes of this.
     */
    Uni<Void> refreshAfterChange() {
        return refresh().onFailure().invoke(failure -> {
            LOG.warnf("Webhook subscriptions not read after a change; every event goes to PostgreSQL until they are: %s", failure);
            latest.set(new Read(readsBegun.incrementAndGet(), null, System.nanoTime()));
        }).onFailure().recoverWithNull();
    }

    /** What webhooks want, or null when unknown (never read, a failed read, or too old to trust). */
    private Set<WebhookEventType> subscribed() {
        Read read = latest.get();
        long goodForNanos = config.subscriptionsRefreshInterval().toNanos() * READS_GOOD_FOR_INTERVALS;
        return read == null || System.nanoTime() - read.endedAtNanos() > goodForNanos ? null : read.types();
    }

    @Incoming(LEDGER_EVENTS_CHANNEL)
    public Uni<Void> consumeLedgerEvents(List<String> payloads) {
        return consume(LEDGER_EVENTS_CHANNEL, payloads);
    }

    @Incoming(NOTIFICATIONS_CHANNEL)
    public Uni<Void> consumeNotifications(List<String> payloads) {
        return consume(NOTIFICATIONS_CHANNEL, payloads);
    }

    private Uni<Void> consume(String channel, List<String> payloads) {
        Set<WebhookEventType> wanted = subscribed();
        if (wanted != null && wanted.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return consumption.applyBatch(channel, payloads, events -> enqueue(events, wanted), event -> enqueue(List.of(event), wanted));
    }

    private Uni<Void> enqueue(List<JsonObject> events, Set<WebhookEventType> wanted) {
        List<WebhookRepository.IncomingEvent> incoming = new ArrayList<>();
        for (JsonObject event : events) {
            read(event).filter(one -> wanted == null || wanted.contains(one.type())).ifPresent(incoming::add);
        }
        return incoming.isEmpty() ? Uni.createFrom().voidItem() : repository.enqueue(incoming, config.retryWindow());
    }

    /**
     * The event as webhooks see it, or empty for a type no webhook may subscribe to. Its id is the
     * same however often the broker delivers it: from the transfer for a transfer's events, else
     * from the payload itself, which a redelivery repeats byte for byte.
     */
    static Optional<WebhookRepository.IncomingEvent> read(JsonObject event) {
        String typeName = event.getString("eventType");
        if (typeName == null && event.containsKey(LEGACY_TRANSFER_FIELD)) {
            typeName = WebhookEventType.TRANSFER_RECORDED.name();
        }
        WebhookEventType type = typeOf(typeName);
        if (type == null) {
            return Optional.empty();
        }
        String payload = event.encode();
        String transferId = event.getString("transferId");
        String identity = transferId != null ? type.name() + ":" + transferId : payload;
        UUID eventId = UUID.nameUUIDFromBytes(identity.getBytes(StandardCharsets.UTF_8));
        String partnerId = type.partnersOwn() ? event.getString("partnerId") : null;
        if (type.partnersOwn() && partnerId == null) {
            // A partner's event that names no partner goes to nobody rather than to everybody.
            return Optional.empty();
        }
        return Optional.of(new WebhookRepository.IncomingEvent(eventId, type, partnerId, payload));
    }

    private static WebhookEventType typeOf(String name) {
        if (name == null) {
            return null;
        }
        for (WebhookEventType type : WebhookEventType.values()) {
            if (type.name().equals(name)) {
                return type;
            }
        }
        return null;
    }
}
