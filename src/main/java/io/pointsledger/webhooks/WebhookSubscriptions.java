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
 * (it is not even parsed, and is not counted in the consumed-events metric). Until the first read,
 * every batch goes to PostgreSQL, which decides.
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
    /** Null until first read from the database. */
    private volatile Set<WebhookEventType> subscribed;
    private long refreshTimerId;

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
        return repository.subscribedEventTypes().invoke(types -> subscribed = Set.copyOf(types)).replaceWithVoid();
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
        Set<WebhookEventType> wanted = subscribed;
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
