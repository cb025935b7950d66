package io.pointsledger.tiers;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;

/** The periodic review: the only place a tier goes down. Bounded batches, one member at a time. */
@ApplicationScoped
public class TierReview {

    private static final Logger LOG = Logger.getLogger(TierReview.class);
    /** Below every member id: PostgreSQL orders uuids by their bytes, unsigned. */
    private static final UUID FIRST = new UUID(0, 0);

    private final TierRepository repository;
    private final TierService tiers;
    private final TiersConfig config;
    private final Clock clock;

    TierReview(TierRepository repository, TierService tiers, TiersConfig config, Clock clock) {
        this.repository = repository;
        this.tiers = tiers;
        this.config = config;
        this.clock = clock;
    }

    @Scheduled(cron = "${points-ledger.tiers.review-cron}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> scheduledReview() {
        return reviewDueMembers().invoke(count -> LOG.infof("Tier review: %d members reviewed", count)).replaceWithVoid();
    }

    /** Reviews every member due, batch by batch; the number reviewed. */
    public Uni<Integer> reviewDueMembers() {
        OffsetDateTime now = OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
        return reviewFrom(now, FIRST, 0);
    }

    private Uni<Integer> reviewFrom(OffsetDateTime now, UUID after, int reviewedSoFar) {
        return repository.dueForReview(now, after, config.reviewBatchSize()).flatMap(batch -> batch.isEmpty()
                ? Uni.createFrom().item(reviewedSoFar)
                : reviewEach(batch).flatMap(ignored -> reviewFrom(now, batch.get(batch.size() - 1), reviewedSoFar + batch.size())));
    }

    private Uni<Void> reviewEach(List<UUID> members) {
        return Multi.createFrom().iterable(members).onItem().transformToUniAndConcatenate(tiers::review).collect().last()
                .replaceWithVoid();
    }
}
