package io.pointsledger.tiers;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Consumes ledger events for tiers. Acknowledged once applied; a failure is redelivered. */
@ApplicationScoped
public class TierUpdater {

    private final TierService tiers;

    TierUpdater(TierService tiers) {
        this.tiers = tiers;
    }

    @Incoming("ledger-events-in")
    public Uni<Void> consume(String event) {
        return tiers.apply(new JsonObject(event));
    }
}
