package io.pointsledger.ledger;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;

/** The Redis balance cache. Redis is an accelerator only: every failure falls back to PostgreSQL. */
@ConfigMapping(prefix = "points-ledger.balance-cache")
public interface CacheConfig {

    /** Longest wait for one Redis call before answering from PostgreSQL instead. */
    @WithDefault("PT0.2S")
    Duration timeout();

    /**
     * How long a cached balance lives. Bounds how long a balance can stay stale after a cache write
     * was lost (Redis unreachable right after a commit).
     */
    @WithDefault("PT1H")
    Duration entryLifetime();

    /**
     * Balances this instance committed and keeps in memory until Redis is known to hold them (or
     * none of the member): those whose cache write is on its way, and those whose cache write and
     * eviction both failed. A balance read answers the newer of Redis and these, so a failed cache
     * write cannot make this instance answer an older balance. Past the limit (a long Redis outage
     * touching more members) a failed write is no longer remembered: that member's cached entry
     * may then be read stale until its next write or the end of its lifetime.
     */
    @WithDefault("100000")
    @Min(0)
    @Max(UNCONFIRMED_MAX_LIMIT)
    int unconfirmedMax();

    /** About 100 MB of balances with their expiring points; beyond it the memory is better spent elsewhere. */
    int UNCONFIRMED_MAX_LIMIT = 1_000_000;

    /** Key prefix, so that several deployments can share one Redis. */
    @WithDefault("points-ledger:balance:")
    String keyPrefix();
}
