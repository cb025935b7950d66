package io.pointsledger.partners;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import java.time.Duration;

/** Authentication and rate limiting. */
@ConfigMapping(prefix = "points-ledger.security")
public interface SecurityConfig {

    /**
     * The program operator's bootstrap key (environment variable POINTS_LEDGER_ADMIN_KEY). Required
     * in production: without it the service does not start. Dev mode and tests default to
     * {@code dev-admin-key}.
     */
    @Size(min = 12)
    String adminKey();

    /** Active keys a partner may hold at once: two, so that a key can be rotated without downtime. */
    @WithDefault("2")
    @Min(1)
    @Max(10)
    int activeKeysPerPartnerMax();

    /**
     * Longest wait for the rate limiter's Redis call, the wait for one of its own connections
     * included, before deciding with the in-memory fallback buckets instead.
     */
    @WithDefault("PT0.2S")
    Duration rateLimiterTimeout();

    /**
     * Service instances the fallback assumes. While Redis cannot answer, each instance allows a
     * partner its limit divided by this (at least one request per second), so that all instances
     * together stay near the partner's limit rather than multiply it. Set it to the number of
     * instances: more is stricter during an outage, fewer lets partners exceed their limit.
     */
    @WithDefault("2")
    @Min(1)
    @Max(1000)
    int rateLimiterFallbackInstances();

    /**
     * Partners whose fallback buckets one instance keeps in memory; beyond it the partners whose
     * buckets are not full share one bucket.
     */
    @WithDefault("10000")
    @Min(1)
    @Max(1000000)
    int rateLimiterFallbackPartnersMax();
}
