package io.pointsledger.partners;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/**
 * Failed authentications per client address, counted in this instance's memory: an address that
 * keeps presenting bad keys is refused before its keys cost a database query. Bounded in the
 * addresses it tracks (see {@link LocalTokenBuckets}); per instance, because the point is to spare
 * this instance's database pool, and a Redis round trip would cost what it saves.
 */
@ApplicationScoped
public class AuthenticationFailures {

    private final LocalTokenBuckets buckets;
    private final LocalTokenBuckets.Rate rate;
    private final Counter refused;

    AuthenticationFailures(SecurityConfig config, MeterRegistry registry) {
        this.buckets = new LocalTokenBuckets(config.authenticationFailureAddressesMax());
        this.rate = LocalTokenBuckets.Rate.perWindow(config.authenticationFailuresPerAddressMax(),
                config.authenticationFailureWindow());
        this.refused = Counter.builder("ledger.authentication.failures.limited")
                .description("Requests refused with 429 RATE_LIMITED because their address failed authentication too often")
                .register(registry);
    }

    /** Null while the address may still fail; else how long until it may try an unknown key again. */
    Duration blockedFor(String address) {
        return buckets.waitForToken(address, rate);
    }

    /** Records a failure: null if it was within the address's budget, else how long to wait. */
    Duration record(String address) {
        Duration retryAfter = buckets.take(address, rate);
        return retryAfter == null ? null : refused(retryAfter);
    }

    /** Counts a request refused for its address, answering {@code retryAfter}. */
    Duration refused(Duration retryAfter) {
        refused.increment();
        return retryAfter;
    }
}
