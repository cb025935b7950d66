package io.pointsledger.platform;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;

/**
 * Every operational limit of the API, with its default. Limits that are part of the request
 * contract (field lengths, list sizes) are constants in {@link ApiLimits} because validation
 * annotations need them at compile time.
 */
@ConfigMapping(prefix = "points-ledger.limits")
public interface LimitsConfig {

    /** Transactions per history page when the client asks for no particular size. */
    @WithDefault("50")
    @Min(1)
    @Max(ApiLimits.HISTORY_PAGE_SIZE_MAX)
    int historyPageSizeDefault();

    /** How long an Idempotency-Key and its answer are kept; a retry within it replays the answer. */
    @WithDefault("PT24H")
    Duration idempotencyKeyRetention();

    /** How far in the future a client clock may place {@code occurredAt}. */
    @WithDefault("PT5M")
    Duration occurredAtFutureSkewMax();

    /** How far back an offline terminal may date a purchase it uploads late. */
    @WithDefault("P365D")
    Duration occurredAtPastMax();

    /** How often expired idempotency keys are purged. */
    @WithDefault("PT60S")
    Duration idempotencyPurgeInterval();

    /** Expired idempotency keys deleted per purge statement; bounds the statement's lock and WAL. */
    @WithDefault("5000")
    @Min(1)
    @Max(100_000)
    int idempotencyPurgeBatchSize();

    /** Longest period one settlement report may cover. */
    @WithDefault("P366D")
    Duration settlementPeriodMax();

    /** Mismatches listed by one reconciliation answer; the count is always exact. */
    @WithDefault("100")
    @Min(1)
    @Max(10_000)
    int reconciliationMismatchesListedMax();

    /**
     * Longest a reconciliation may run in PostgreSQL. It reads every account, transfer, lot and
     * lot movement (about 12 s for 3 million transfers and lots on the development machine), far
     * beyond the statement timeout that bounds every other statement (5 s).
     */
    @WithDefault("PT2M")
    Duration reconciliationTimeout();
}
