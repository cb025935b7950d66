package io.pointsledger.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.HashMap;
import java.util.Map;

/**
 * Starts a real Kafka for a test class and binds the event channels to it, as production does,
 * instead of the in-process wiring.
 */
public class KafkaBroker implements QuarkusTestResourceLifecycleManager {

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
        config.put("mp.messaging.incoming.ledger-events-in.connector", "smallrye-kafka");
        config.put("mp.messaging.incoming.ledger-events-in.topic", "ledger-events");
        config.put("mp.messaging.incoming.ledger-events-in.group.id", KafkaProcess.randomGroup());
        config.put("mp.messaging.incoming.ledger-events-in.auto.offset.reset", "earliest");
        config.put("mp.messaging.incoming.ledger-events-in.value.deserializer", deserializer);
        config.put("mp.messaging.incoming.ledger-events-in.key.deserializer", deserializer);
        return config;
    }

    @Override
    public void stop() {
        KafkaProcess.stop();
    }
}
