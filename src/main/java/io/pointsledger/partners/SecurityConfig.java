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

    /** Longest wait for the rate limiter's Redis call before letting the request through. */
    @WithDefault("PT0.2S")
    Duration rateLimiterTimeout();

    /** Key prefix in Redis, so that several deployments can share one Redis. */
    @WithDefault("points-ledger:rate:")
    String rateLimiterKeyPrefix();
}
