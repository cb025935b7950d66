package io.pointsledger.recommendations;

import io.pointsledger.events.EventConsumption;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Recommendations' own consumer group of the ledger events (channel {@value #CHANNEL}): each
 * purchase's items, as the ledger recorded them (an event only names the transfer), update the
 * buyer counts of items and pairs. {@link RecommendationService#apply} counts a transfer once, so a redelivery
 * changes nothing; an event naming an earn the ledger does not have goes to the dead letters.
 */
@ApplicationScoped
public class RecommendationEventConsumer {

    static final String CHANNEL = "recommendation-updates";

    private final EventConsumption consumption;
    private final RecommendationService recommendations;

    RecommendationEventConsumer(EventConsumption consumption, RecommendationService recommendations) {
        this.consumption = consumption;
        this.recommendations = recommendations;
    }

    @Incoming(CHANNEL)
    public Uni<Void> consume(List<String> events) {
        return consumption.applyBatch(CHANNEL, events, recommendations::applyAll, recommendations::apply);
    }
}
