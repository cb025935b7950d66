package io.pointsledger.segments;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Measures every member's segment attributes once a day, across instances: each look asks
 * AttributeRuns#runDue, which takes over a stalled run, opens the day's first, or finds it done.
 */
@ApplicationScoped
public class AttributeRunJob {

    private static final Logger LOG = Logger.getLogger(AttributeRunJob.class);

    private final AttributeRuns runs;

    AttributeRunJob(AttributeRuns runs) {
        this.runs = runs;
    }

    @Scheduled(every = "${points-ledger.segments.run-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> runDue() {
        return runs.runDue()
                .invoke(finished -> finished.ifPresent(AttributeRuns::logFinished))
                .onFailure().invoke(failure -> LOG.warn("A segment attribute run stopped; a later look resumes it once its claim goes stale",
                        failure))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }
}
