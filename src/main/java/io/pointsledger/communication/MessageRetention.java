package io.pointsledger.communication;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Purges messages settled (sent, failed, skipped) longer ago than the retention, in bounded
 * chunks so that no statement holds locks for long: an announcement to every member writes a
 * million rows, and the delivery log is for looking back weeks, not years.
 */
@ApplicationScoped
class MessageRetention {

    private static final int CHUNK = 10_000;
    /** Bounds one run; what is left is purged by the next. */
    private static final int CHUNKS_PER_RUN_MAX = 100;

    private final MessageRepository repository;
    private final CommunicationConfig config;

    MessageRetention(MessageRepository repository, CommunicationConfig config) {
        this.repository = repository;
        this.config = config;
    }

    @Scheduled(every = "${points-ledger.communication.purge-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> purge() {
        return purge(CHUNKS_PER_RUN_MAX);
    }

    private Uni<Void> purge(int chunksLeft) {
        if (chunksLeft == 0) {
            return Uni.createFrom().voidItem();
        }
        return repository.purgeSettled(config.retention(), CHUNK)
                .flatMap(deleted -> deleted == CHUNK ? purge(chunksLeft - 1) : Uni.createFrom().voidItem());
    }
}
