package io.pointsledger.churn;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/** Scores every member nightly, once across instances (ChurnService#scoreEveryone claims the day). */
@ApplicationScoped
public class ChurnScoringJob {

    private static final Logger LOG = Logger.getLogger(ChurnScoringJob.class);

    private final ChurnService churn;

    ChurnScoringJob(ChurnService churn) {
        this.churn = churn;
    }

    @Scheduled(cron = "${points-ledger.churn.scoring-cron}", timeZone = "${points-ledger.program.time-zone}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> scoreEveryone() {
        return churn.scoreEveryone()
                .invoke(scored -> {
                    if (scored > 0) {
                        LOG.infof("Churn risk scored for %d members", scored);
                    }
                })
                .onFailure().invoke(failure -> LOG.warn("Nightly churn scoring stopped; the next run resumes it", failure))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }
}
