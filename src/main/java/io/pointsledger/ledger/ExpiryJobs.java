package io.pointsledger.ledger;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Releases expired holds and expires points past their date, one bounded batch per run. No run
 * starts while the application is stopping: the connection pool may be closed already.
 */
@ApplicationScoped
public class ExpiryJobs {

    private static final Logger LOG = Logger.getLogger(ExpiryJobs.class);

    private final LedgerService ledger;
    private final JobsConfig config;

    ExpiryJobs(LedgerService ledger, JobsConfig config) {
        this.ledger = ledger;
        this.config = config;
    }

    @Scheduled(every = "${points-ledger.jobs.hold-expiry-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> releaseExpiredHolds() {
        return ledger.expireHolds(config.holdExpiryBatchSize())
                .invoke(released -> log("holds released", released))
                .replaceWithVoid();
    }

    @Scheduled(every = "${points-ledger.jobs.point-expiry-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> expirePoints() {
        return ledger.expirePoints(config.pointExpiryBatchSize())
                .invoke(members -> log("members' points expired", members))
                .replaceWithVoid();
    }

    @Scheduled(every = "${points-ledger.jobs.expiring-notice-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> announceExpiringPoints() {
        return ledger.notifyExpiringPoints(config.expiringNoticeBatchSize(), config.expiringNoticeDays())
                .invoke(members -> log("members told of expiring points", members.intValue()))
                .replaceWithVoid();
    }

    private static void log(String what, int count) {
        if (count > 0) {
            LOG.infof("Expiry job: %d %s", count, what);
        }
    }
}
