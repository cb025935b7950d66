package io.pointsledger.events;

import io.pointsledger.recommendations.RecommendationService;
import io.pointsledger.tiers.TierService;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Consumes ledger events for tiers and recommendations. A message is acknowledged once both have
 * applied it; a failure is redelivered, which both tolerate (each keys its effects by transfer id).
 */
@ApplicationScoped
public class LedgerEventConsumer {

    private final TierService tiers;
    private final RecommendationService recommendations;

    LedgerEventConsumer(TierService tiers, RecommendationService recommendations) {
        this.tiers = tiers;
        this.recommendations = recommendations;
    }

    @Incoming("ledger-events-in")
    public Uni<Void> consume(String payload) {
        JsonObject event = new JsonObject(payload);
        return tiers.apply(event).flatMap(ignored -> recommendations.apply(event));
    }
}
