package io.pointsledger.tiers;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Min;
import java.time.Duration;

/** Tier rules: rolling qualifying spend thresholds and the downgrade review. */
@ConfigMapping(prefix = "points-ledger.tiers")
public interface TiersConfig {

    /** Qualifying spend (minor units, rolling window) from which a member is SILVER. */
    @WithDefault("300000")
    @Min(1)
    long silverMinimumSpend();

    /** Qualifying spend from which a member is GOLD. */
    @WithDefault("1000000")
    @Min(1)
    long goldMinimumSpend();

    /** The rolling window of qualifying spend. */
    @WithDefault("P365D")
    Duration qualifyingWindow();

    /** When downgrades are reviewed (Quartz-style cron; default: 03:00 on the first of each month). */
    @WithDefault("0 0 3 1 * ?")
    String reviewCron();

    /** The time until the next review shown to members, matching the cron above. */
    @WithDefault("P30D")
    Duration reviewPeriod();

    /** Members reviewed per statement of a review run. */
    @WithDefault("1000")
    @Min(1)
    int reviewBatchSize();

    default Tier tierFor(long qualifyingSpend) {
        if (qualifyingSpend >= goldMinimumSpend()) {
            return Tier.GOLD;
        }
        return qualifyingSpend >= silverMinimumSpend() ? Tier.SILVER : Tier.BASIC;
    }
}
