package io.pointsledger.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.HashMap;
import java.util.Map;

/**
 * Starts a real Kafka for a test class and binds the event channels to it, as production does,
 * instead of the in-process broker.
 */
public class KafkaBroker implements QuarkusTestResourceLifecycleManager {

    /** The service's consumers, each its own consumer group, as in production. */
    private static final String[] CONSUMER_CHANNELS = {"tier-updates", "recommendation-updates", "member-notifications",
            "campaign-triggers", "campaign-tier-triggers", "coupon-releases", "survey-invitations", "webhook-ledger-events", "webhook-notifications"};

    @Override
    public Map<String, String> start() {
        String bootstrapServers = KafkaProcess.startFresh();
        Map<String, String> config = new HashMap<>();
        config.put("kafka.bootstrap.servers", bootstrapServers);
        String serializer = "org.apache.kafka.common.serialization.StringSerializer";
        String deserializer = "org.apache.kafka.common.serialization.StringDeserializer";
        config.put("mp.messaging.outgoing.ledger-events.connector", "smallrye-kafka");
        config.put("mp.messaging.outgoing.ledger-events.topic", "ledger-events");
        config.put("mp.messaging.outgoing.ledger-events.key.serializer", serializer);
        config.put("mp.messaging.outgoing.ledger-events.value.serializer", serializer);
        config.put("mp.messaging.outgoing.ledger-events.acks", "all");
        config.put("mp.messaging.outgoing.ledger-events.delivery.timeout.ms", "5000");
        config.put("mp.messaging.outgoing.ledger-events.request.timeout.ms", "2000");
        config.put("mp.messaging.outgoing.ledger-events.max.block.ms", "2000");
        config.put("mp.messaging.outgoing.notifications.connector", "smallrye-kafka");
        config.put("mp.messaging.outgoing.notifications.topic", "ledger-notifications");
        config.put("mp.messaging.outgoing.notifications.key.serializer", serializer);
        config.put("mp.messaging.outgoing.notifications.value.serializer", serializer);
        for (String consumer : CONSUMER_CHANNELS) {
            String prefix = "mp.messaging.incoming." + consumer + ".";
            config.put(prefix + "connector", "smallrye-kafka");
            config.put(prefix + "group.id", consumer + "-" + KafkaProcess.randomGroup());
            config.put(prefix + "auto.offset.reset", "earliest");
            config.put(prefix + "value.deserializer", deserializer);
            config.put(prefix + "key.deserializer", deserializer);
            config.put(prefix + "batch", "true");
            config.put(prefix + "max.poll.records", "500");
            config.put(prefix + "failure-strategy", "dead-letter-queue");
            config.put(prefix + "dead-letter-queue.topic", consumer + "-dead-letters");
        }
        return config;
    }

    @Override
    public void stop() {
        KafkaProcess.stop();
    }
}
