package io.pointsledger.coupons;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Takes over batches of codes an instance left unfinished (it stopped), and posts the points of
 * points coupons whose posting failed at redemption.
 */
@ApplicationScoped
class CouponJobs {

    private static final Logger LOG = Logger.getLogger(CouponJobs.class);
    private static final int POINTS_DUE_PER_RUN = 500;

    private final CouponBatches batches;
    private final CouponService coupons;

    CouponJobs(CouponBatches batches, CouponService coupons) {
        this.batches = batches;
        this.coupons = coupons;
    }

    @Scheduled(every = "${points-ledger.coupons.job-interval:PT10S}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> resumeBatches() {
        return batches.run(null).invoke(batch -> {
            if (batch != null) {
                LOG.infof("Batch %s of coupons: %d of %d issued", batch.batchId(), batch.issued(), batch.requested());
            }
        }).replaceWithVoid();
    }

    @Scheduled(every = "${points-ledger.coupons.job-interval:PT10S}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> postDuePoints() {
        return coupons.postDuePoints(POINTS_DUE_PER_RUN).invoke(posted -> {
            if (posted > 0) {
                LOG.infof("Points of %d redeemed coupons posted by the catch-up job", posted);
            }
        }).replaceWithVoid();
    }
}
