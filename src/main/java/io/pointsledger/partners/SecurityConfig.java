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
     * in production: without it the service does not start, nor with one shorter than 32 characters
     * or published in this repository (platform.ProductionSettings). Dev mode and tests default to
     * {@code dev-admin-key}, which is why the bound here is lower.
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

    /**
     * Failed authentications (a presented key that is malformed, unknown or revoked) one client
     * address may make per {@link #authenticationFailureWindow()} on one instance; beyond it the
     * address gets 429 RATE_LIMITED, without a database look-up, for keys this instance has not
     * recently seen succeed.
     */
    @WithDefault("50")
    @Min(1)
    @Max(1000000)
    int authenticationFailuresPerAddressMax();

    /** The window of {@link #authenticationFailuresPerAddressMax()}, refilled evenly across it. */
    @WithDefault("PT1M")
    Duration authenticationFailureWindow();

    /**
     * Client addresses whose failed authentications one instance tracks; beyond it the addresses
     * that failed recently share one budget.
     */
    @WithDefault("10000")
    @Min(1)
    @Max(1000000)
    int authenticationFailureAddressesMax();

    /** Key prefix in Redis, so that several deployments can share one Redis. */
    @WithDefault("points-ledger:rate:")
    String rateLimiterKeyPrefix();

    /**
     * Longest wait for Redis to take a key revocation's broadcast, or to confirm this instance's
     * subscription to them. Past it the broadcast is given up (the cache lifetime bounds the rest).
     */
    @WithDefault("PT0.5S")
    Duration revocationBroadcastTimeout();

    /** How often an instance that is not subscribed to key revocations tries once to subscribe again. */
    @WithDefault("PT5S")
    Duration revocationResubscribeInterval();
}
