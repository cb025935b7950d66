package io.pointsledger.ledger;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
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

    /** Key prefix, so that several deployments can share one Redis. */
    @WithDefault("points-ledger:balance:")
    String keyPrefix();
}
