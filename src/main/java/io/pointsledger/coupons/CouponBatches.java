package io.pointsledger.coupons;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * Issues batches of bearer codes in the background, chunk by chunk, each chunk one short
 * transaction that also counts the codes (the batch's progress). An instance leases the batch it
 * works on; when it stops, the lease lapses and the job of any instance takes the batch over from
 * where it was (resumable after a restart).
 */
@ApplicationScoped
class CouponBatches {

    private static final Logger LOG = Logger.getLogger(CouponBatches.class);

    /** This instance, as the holder of the leases it takes. */
    private final String holder = "coupons-" + UUID.randomUUID();
    private final CouponRepository repository;
    private final CouponsConfig config;

    CouponBatches(CouponRepository repository, CouponsConfig config) {
        this.repository = repository;
        this.config = config;
    }

    /** Starts issuing the batch's codes now, on this instance, without waiting for them. */
    void start(UUID batchId) {
        run(batchId).subscribe().with(batch -> { }, failure -> LOG.warnf(
                "Batch %s of coupons stopped (the job takes it over once its lease lapses): %s", batchId, failure.toString()));
    }

    /** Issues the codes of one running batch no instance holds ({@code batchId}: that one, or any); the batch after, or null. */
    Uni<CouponBatch> run(UUID batchId) {
        return repository.claimBatch(holder, config.batchLease(), batchId).chain(this::continueBatch);
    }

    /**
     * Chunk after chunk until the batch is done or its lease lost (null): repeated, not chained, so
     * that a chunk issued is garbage (a chain of a thousand chunks holds every one to the end).
     */
    private Uni<CouponBatch> continueBatch(CouponBatch batch) {
        if (batch == null || batch.status() == CouponBatch.Status.DONE) {
            return Uni.createFrom().item(batch);
        }
        AtomicReference<CouponBatch> current = new AtomicReference<>(batch);
        return Multi.createBy().repeating()
                .uni(() -> {
                    CouponBatch before = current.get();
                    int size = Math.min(config.batchChunkSize(), before.requested() - before.issued());
                    return repository.issueChunk(before.batchId(), CouponCodes.next(size), holder, config.batchLease())
                            .invoke(current::set)
                            .map(Optional::ofNullable);
                })
                .whilst(after -> after.isPresent() && after.get().status() != CouponBatch.Status.DONE)
                .collect().last()
                .map(last -> last.orElse(null));
    }
}
