package io.pointsledger.offers;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/** Offers: how many may be active at once (each member's look-up reads them all), and list sizes. */
@ConfigMapping(prefix = "points-ledger.offers")
public interface OffersConfig {

    /** Offers active at once: a member's look-up reads every one of them and keeps those the member may use. */
    @WithDefault("200")
    @Min(1)
    @Max(ACTIVE_MAX_LIMIT)
    int activeMax();

    int ACTIVE_MAX_LIMIT = 1000;

    @WithDefault("50")
    @Min(1)
    @Max(PAGE_SIZE_MAX)
    int pageSizeDefault();

    int PAGE_SIZE_MAX = 200;
}
