package io.pointsledger.churn;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Scores every member once a day, across instances: each run asks ChurnService#scoreEveryone,
 * which claims the day, finds it done, or resumes a run whose instance stopped.
 */
@ApplicationScoped
public class ChurnScoringJob {

    private static final Logger LOG = Logger.getLogger(ChurnScoringJob.class);

    private final ChurnService churn;

    ChurnScoringJob(ChurnService churn) {
        this.churn = churn;
    }

    @Scheduled(every = "${points-ledger.churn.scoring-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> scoreEveryone() {
        return churn.scoreEveryone()
                .invoke(scored -> {
                    if (scored > 0) {
                        LOG.infof("Churn risk scored for %d members", scored);
                    }
                })
                .onFailure().invoke(failure -> LOG.warn("Churn scoring stopped; a later run resumes it once its claim goes stale", failure))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }
}
