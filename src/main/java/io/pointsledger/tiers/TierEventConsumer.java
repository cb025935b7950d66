package io.pointsledger.tiers;

import io.pointsledger.events.EventConsumption;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Tiers' own consumer group of the ledger events (channel {@value #CHANNEL}): purchases move
 * qualifying spend and upgrade at once, reversals take spend back. A batch is acknowledged once
 * applied; {@link TierService#apply} keys its effects by transfer id, so a redelivery changes nothing.
 */
@ApplicationScoped
public class TierEventConsumer {

    static final String CHANNEL = "tier-updates";

    private final EventConsumption consumption;
    private final TierService tiers;

    TierEventConsumer(EventConsumption consumption, TierService tiers) {
        this.consumption = consumption;
        this.tiers = tiers;
    }

    @Incoming(CHANNEL)
    public Uni<Void> consume(List<String> events) {
        return consumption.applyBatch(CHANNEL, events, tiers::applyAll, tiers::apply);
    }
}
