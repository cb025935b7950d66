package io.pointsledger.ledger;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/**
 * The scheduled ledger jobs. Each run handles one bounded batch in one transaction, so that no
 * run holds many account locks for long; a backlog drains over consecutive runs.
 */
@ConfigMapping(prefix = "points-ledger.jobs")
public interface JobsConfig {

    /** How often pending holds past their expiry are released. */
    @WithDefault("PT10S")
    java.time.Duration holdExpiryInterval();

    /** Holds released per run. */
    @WithDefault("500")
    @Min(1)
    @Max(10_000)
    int holdExpiryBatchSize();

    /** How often points past their date are expired. */
    @WithDefault("PT60S")
    java.time.Duration pointExpiryInterval();

    /** How often lots expiring soon are announced (POINTS_EXPIRING, once per lot). */
    @WithDefault("PT1H")
    java.time.Duration expiringNoticeInterval();

    /** How far ahead of expiry members are told. */
    @WithDefault("30")
    @Min(1)
    @Max(365)
    int expiringNoticeDays();

    /** Lots announced per run. */
    @WithDefault("5000")
    @Min(1)
    @Max(100_000)
    int expiringNoticeBatchSize();

    /** Due lots looked at per run (their members' due points all expire in that run). */
    @WithDefault("1000")
    @Min(1)
    @Max(50_000)
    int pointExpiryBatchSize();
}
