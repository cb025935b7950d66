package io.pointsledger.communication;

import io.pointsledger.events.EventConsumption;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * The member notifications' consumer group (channel {@value #CHANNEL}): tier changes and points
 * about to expire. It logs each one, standing in for the channel adapters (email, SMS, push) and
 * partner webhooks that will deliver them on each member's preferred channel.
 */
@ApplicationScoped
public class NotificationLog {

    static final String CHANNEL = "member-notifications";

    private static final Logger LOG = Logger.getLogger(NotificationLog.class);

    private final EventConsumption consumption;

    NotificationLog(EventConsumption consumption) {
        this.consumption = consumption;
    }

    @Incoming(CHANNEL)
    public Uni<Void> consume(List<String> notifications) {
        return consumption.apply(CHANNEL, notifications, NotificationLog::log);
    }

    private static Uni<Void> log(JsonObject notification) {
        LOG.infof("Notification %s for member %s", notification.getString("eventType"), notification.getString("memberId"));
        return Uni.createFrom().voidItem();
    }
}
