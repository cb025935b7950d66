package io.pointsledger.ledger;

import io.pointsledger.platform.LimitsConfig;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Deletes idempotency keys past their retention, one bounded batch per run, so that the table
 * stays the size of a retention period of traffic. (These rows are answers, not ledger entries.)
 */
@ApplicationScoped
public class IdempotencyKeyPurge {

    private static final Logger LOG = Logger.getLogger(IdempotencyKeyPurge.class);

    private final LedgerRepository repository;
    private final LimitsConfig limits;

    IdempotencyKeyPurge(LedgerRepository repository, LimitsConfig limits) {
        this.repository = repository;
        this.limits = limits;
    }

    @Scheduled(every = "${points-ledger.limits.idempotency-purge-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> purge() {
        return repository.purgeExpiredIdempotencyKeys(limits.idempotencyPurgeBatchSize())
                .invoke(deleted -> {
                    if (deleted > 0) {
                        LOG.debugf("Purged %d expired idempotency keys", deleted);
                    }
                })
                .replaceWithVoid();
    }
}
