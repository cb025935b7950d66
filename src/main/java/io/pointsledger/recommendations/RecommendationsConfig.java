package io.pointsledger.recommendations;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/**
 * How much of a purchase links items, and how much of a member's history seeds their
 * recommendations. The defaults were chosen on real baskets (README, Recommendations): capping a
 * basket at 20 items new to the buyer and 30 earlier items bounds a purchase to 1 580 pair counts
 * and ranks as well as no cap.
 */
@ConfigMapping(prefix = "points-ledger.recommendations")
public interface RecommendationsConfig {

    /** A basket's items new to the buyer that are paired, in basket order; the rest count in popularity only. */
    @WithDefault("20")
    @Min(1)
    @Max(200)
    int basketItemsPaired();

    /** The buyer's most recent earlier items each new item of a purchase is paired with. */
    @WithDefault("30")
    @Min(0)
    @Max(200)
    int earlierItemsPaired();

    /** The member's most recent items whose similar items are their recommendations. */
    @WithDefault("50")
    @Min(1)
    @Max(500)
    int seedItems();
}
