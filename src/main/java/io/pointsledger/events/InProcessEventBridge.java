package io.pointsledger.events;

import io.quarkus.arc.properties.IfBuildProperty;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Outgoing;
import org.jboss.logging.Logger;

/**
 * Dev mode and most tests: carries published ledger events straight to the consumers, in process,
 * acknowledging each only once the consumers have processed it. In production (and in the Kafka
 * pipeline test) the channels are bound to Kafka topics instead and this bean does not exist.
 */
@ApplicationScoped
@IfBuildProperty(name = "points-ledger.events.in-process", stringValue = "true", enableIfMissing = true)
public class InProcessEventBridge {

    private static final Logger LOG = Logger.getLogger(InProcessEventBridge.class);

    @Incoming("ledger-events")
    @Outgoing("ledger-events-in")
    public Message<String> forward(Message<String> event) {
        return event;
    }

    /** Stands in for the webhook and messaging services that consume the notifications topic. */
    @Incoming("notifications")
    public void notify(String notification) {
        LOG.infof("Notification: %s", notification);
    }
}
