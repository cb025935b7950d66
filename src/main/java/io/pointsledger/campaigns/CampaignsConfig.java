package io.pointsledger.campaigns;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;

/** Campaigns: how many may run at once, and how instances keep their copy of the active ones current. */
@ConfigMapping(prefix = "points-ledger.campaigns")
public interface CampaignsConfig {

    /** When the daily birthday job runs, in the program time zone (read by BirthdayRewards' schedule). */
    @WithDefault("0 15 0 * * ?")
    String birthdayCron();


    /** Campaigns active at once: every earn evaluates each of them in memory. */
    @WithDefault("100")
    @Min(1)
    @Max(ACTIVE_MAX_LIMIT)
    int activeMax();

    int ACTIVE_MAX_LIMIT = 1000;

    /**
     * How often an instance checks that its copy of the active campaigns is current: what bounds
     * the delay when a change's Redis broadcast is lost (Redis down, or the instance not subscribed).
     */
    @WithDefault("PT5S")
    Duration refreshInterval();

    /** Longest wait for Redis to take a change's broadcast, or to confirm a subscription. */
    @WithDefault("PT0.5S")
    Duration broadcastTimeout();

    /** Longest wait for PostgreSQL when an instance loads the active campaigns. */
    @WithDefault("PT5S")
    Duration loadTimeout();

    /** Campaigns or versions per page when the client asks for no particular size. */
    @WithDefault("50")
    @Min(1)
    @Max(PAGE_SIZE_MAX)
    int pageSizeDefault();

    int PAGE_SIZE_MAX = 200;
}
