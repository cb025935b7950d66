package io.pointsledger.imports;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Takes over imports an instance left unfinished (it stopped, its lease lapsed): resumable after a restart. */
@ApplicationScoped
class ImportJobs {

    private final ImportRunner imports;

    ImportJobs(ImportRunner imports) {
        this.imports = imports;
    }

    @Scheduled(every = "${points-ledger.imports.job-interval:PT10S}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> resumeImports() {
        return imports.resumeAny().replaceWithVoid();
    }
}
