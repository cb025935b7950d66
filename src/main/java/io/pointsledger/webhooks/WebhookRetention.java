package io.pointsledger.webhooks;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Purges deliveries delivered or dead for longer than the retention, then the stored events no
 * delivery names any more, in bounded chunks so that no statement holds locks for long.
 */
@ApplicationScoped
public class WebhookRetention {

    private static final int CHUNK = 10_000;
    /** Bounds one run; what is left is purged by the next. */
    private static final int CHUNKS_PER_RUN_MAX = 100;

    private final WebhookRepository repository;
    private final WebhooksConfig config;

    WebhookRetention(WebhookRepository repository, WebhooksConfig config) {
        this.repository = repository;
        this.config = config;
    }

    @Scheduled(every = "${points-ledger.webhooks.purge-interval:PT1H}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> purge() {
        return purgeDeliveries(CHUNKS_PER_RUN_MAX).flatMap(ignored -> purgeEvents(CHUNKS_PER_RUN_MAX));
    }

    private Uni<Void> purgeDeliveries(int chunksLeft) {
        if (chunksLeft == 0) {
            return Uni.createFrom().voidItem();
        }
        return repository.purgeSettled(config.retention(), CHUNK)
                .flatMap(deleted -> deleted == CHUNK ? purgeDeliveries(chunksLeft - 1) : Uni.createFrom().voidItem());
    }

    private Uni<Void> purgeEvents(int chunksLeft) {
        if (chunksLeft == 0) {
            return Uni.createFrom().voidItem();
        }
        return repository.purgeUnreferencedEvents(config.retention(), CHUNK)
                .flatMap(deleted -> deleted == CHUNK ? purgeEvents(chunksLeft - 1) : Uni.createFrom().voidItem());
    }
}
