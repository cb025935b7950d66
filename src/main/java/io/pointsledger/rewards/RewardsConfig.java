package io.pointsledger.rewards;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;

/** Rewards and causes: list sizes, and when an event's reminder goes out. */
@ConfigMapping(prefix = "points-ledger.rewards")
public interface RewardsConfig {

    @WithDefault("50")
    @Min(1)
    @Max(PAGE_SIZE_MAX)
    int pageSizeDefault();

    int PAGE_SIZE_MAX = 200;

    /** How long before an EXPERIENCE starts its members holding a seat are reminded. */
    @WithDefault("24h")
    Duration reminderBefore();

    /** How often due reminders are looked for. */
    @WithDefault("5m")
    Duration reminderInterval();

    /** Claims one reminder run writes at most, so that a run stays short whatever the backlog. */
    @WithDefault("500")
    @Min(1)
    @Max(10_000)
    int reminderBatchSize();
}
