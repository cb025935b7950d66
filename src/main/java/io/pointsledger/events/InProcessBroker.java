package io.pointsledger.events;

import io.smallrye.reactive.messaging.connector.InboundConnector;
import io.smallrye.reactive.messaging.connector.OutboundConnector;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.spi.Connector;

/**
 * The broker of dev mode and tests: topics in memory with Kafka's shape, so that the same
 * channels, consumer groups and acknowledgements work with and without Kafka. Each incoming
 * channel bound to a topic is its own consumer group and gets every message of the topic, in
 * order. An outgoing message is acknowledged once every group has acknowledged it, and failed as
 * soon as one group fails it (the relay then publishes it again, later, to all groups, which are
 * idempotent).
 *
 * <p>Backpressure, end to end: the outgoing side asks its producer for at most
 * {@code in-flight-max} messages not yet acknowledged, so no group ever holds more than that;
 * a group hands its consumer everything that arrived while the consumer was busy, as one batch
 * of at most {@code batch-size-max} messages, only when the consumer asks for more. Nothing is
 * emitted without a request and nothing waits on a timer.
 */
@ApplicationScoped
@Connector(InProcessBroker.CONNECTOR)
public class InProcessBroker implements InboundConnector, OutboundConnector {

    public static final String CONNECTOR = "points-ledger-in-process";

    static final int IN_FLIGHT_MAX_DEFAULT = 256;
    static final int BATCH_SIZE_MAX_DEFAULT = 256;

    private final Map<String, List<InProcessGroup>> groupsByTopic = new ConcurrentHashMap<>();

    @Override
    public Flow.Publisher<? extends Message<?>> getPublisher(Config config) {
        InProcessGroup group = new InProcessGroup(
                config.getOptionalValue("batch-size-max", Integer.class).orElse(BATCH_SIZE_MAX_DEFAULT));
        groupsByTopic.computeIfAbsent(topic(config), topic -> new CopyOnWriteArrayList<>()).add(group);
        return group;
    }

    @Override
    public Flow.Subscriber<? extends Message<?>> getSubscriber(Config config) {
        return new TopicWriter(topic(config),
                config.getOptionalValue("in-flight-max", Integer.class).orElse(IN_FLIGHT_MAX_DEFAULT));
    }

    private static String topic(Config config) {
        return config.getOptionalValue("topic", String.class)
                .orElseGet(() -> config.getValue("channel-name", String.class));
    }

    /** Hands one message to every group of its topic and settles it once they all have. */
    private CompletionStage<Void> deliver(String topic, Message<?> message) {
        List<InProcessGroup> groups = groupsByTopic.getOrDefault(topic, List.of());
        if (groups.isEmpty()) {
            // A topic nobody reads, as on Kafka: the write itself succeeded.
            return message.ack();
        }
        CompletableFuture<Void> settled = new CompletableFuture<>();
        AtomicInteger waitingFor = new AtomicInteger(groups.size());
        AtomicBoolean failed = new AtomicBoolean();
        for (InProcessGroup group : groups) {
            group.offer(Message.of(message.getPayload(), message.getMetadata(),
                    () -> {
                        if (waitingFor.decrementAndGet() == 0 && !failed.get()) {
                            message.ack().whenComplete((done, failure) -> settled.complete(null));
                        }
                        return CompletableFuture.completedFuture(null);
                    },
                    reason -> {
                        if (failed.compareAndSet(false, true)) {
                            message.nack(reason).whenComplete((done, failure) -> settled.complete(null));
                        }
                        return CompletableFuture.completedFuture(null);
                    }));
        }
        return settled;
    }

    /** The outgoing side of a topic: pulls at most {@code inFlightMax} unsettled messages. */
    private final class TopicWriter implements Flow.Subscriber<Message<?>> {

        private final String topic;
        private final int inFlightMax;
        private volatile Flow.Subscription upstream;

        TopicWriter(String topic, int inFlightMax) {
            this.topic = topic;
            this.inFlightMax = inFlightMax;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            upstream = subscription;
            subscription.request(inFlightMax);
        }

        @Override
        public void onNext(Message<?> message) {
            deliver(topic, message).whenComplete((done, failure) -> upstream.request(1));
        }

        @Override
        public void onError(Throwable failure) {
            // The producer's stream ended; nothing is in flight that the groups do not already hold.
        }

        @Override
        public void onComplete() {
            // As above.
        }
    }
}
