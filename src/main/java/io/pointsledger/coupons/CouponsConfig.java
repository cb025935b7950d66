package io.pointsledger.coupons;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;

/** Coupons: how long a checkout holds a code, how batches of codes are issued, and list sizes. */
@ConfigMapping(prefix = "points-ledger.coupons")
public interface CouponsConfig {

    /** How long a code held for a checkout stays held when the checkout neither redeems nor releases it. */
    @WithDefault("PT15M")
    Duration holdDuration();

    /** Codes one statement of a batch inserts: each chunk is one short transaction. */
    @WithDefault("1000")
    @Min(1)
    @Max(CHUNK_MAX)
    int batchChunkSize();

    int CHUNK_MAX = 10_000;

    /** How long an instance keeps a batch to itself; one that stopped leaves it to another after that. */
    @WithDefault("PT30S")
    Duration batchLease();

    /** How long a redeemed points coupon waits for its points before the catch-up job posts them. */
    @WithDefault("PT30S")
    Duration pointsCatchUpDelay();

    /** How often the jobs take over unfinished batches and post the points still due. */
    @WithDefault("PT10S")
    Duration jobInterval();

    /** Codes or definitions per page when the client asks for no particular size. */
    @WithDefault("50")
    @Min(1)
    @Max(PAGE_SIZE_MAX)
    int pageSizeDefault();

    int PAGE_SIZE_MAX = 1000;
}
