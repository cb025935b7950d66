package io.pointsledger.webhooks;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;

/** Partner webhooks: who may be called, how often and how long a delivery is tried. */
@ConfigMapping(prefix = "points-ledger.webhooks")
public interface WebhooksConfig {

    /** Webhooks one partner may have. */
    @WithDefault("10")
    @Min(1)
    @Max(100)
    int perPartnerMax();

    /**
     * Plain http:// URLs accepted. Off in production: a delivery carries member ids and is signed,
     * not encrypted. Dev mode and tests call receivers on this machine.
     */
    @WithDefault("false")
    boolean allowPlainHttp();

    /**
     * URLs naming this machine or a private network (localhost, 127.0.0.1, 10.x, 192.168.x, fc00::/7
     * …) accepted. Off in production, so that a webhook cannot be pointed at the service's own
     * network. Only literal addresses and localhost names are recognised: a name that resolves to
     * a private address is for the egress firewall to stop.
     */
    @WithDefault("false")
    boolean allowPrivateHosts();

    /** How long a delivery is tried before it is DEAD (24 h: a receiver down for a day misses nothing). */
    @WithDefault("PT24H")
    Duration retryWindow();

    /** The wait after a first failed attempt; it doubles with each failure, up to {@link #retryBackoffMax()}. */
    @WithDefault("PT10S")
    Duration retryBackoffInitial();

    @WithDefault("PT1H")
    Duration retryBackoffMax();

    /** How long a receiver has to answer one delivery. */
    @WithDefault("PT10S")
    Duration requestTimeout();

    /**
     * How long a claimed delivery stays out of other instances' reach: past it, a delivery whose
     * instance stopped mid-attempt is tried again. Longer than a request.
     */
    @WithDefault("PT1M")
    Duration claimLease();

    /** How often each instance looks for deliveries that are due. */
    @WithDefault("PT1S")
    Duration pollInterval();

    /**
     * Requests one instance has open to one webhook at a time. Each webhook with deliveries due is
     * served by a loop of its own, so that a receiver that hangs slows nobody but itself; an
     * instance runs concurrent-requests-max / requests-per-webhook-max loops at once, the webhooks
     * waiting taking turns.
     */
    @WithDefault("8")
    @Min(1)
    @Max(1000)
    int requestsPerWebhookMax();

    /** Requests one instance has open at a time, all receivers together (at least requests-per-webhook-max). */
    @WithDefault("32")
    @Min(1)
    @Max(1000)
    int concurrentRequestsMax();

    /** How long a rotated-out secret still signs, so that the receiver can switch without missing a delivery. */
    @WithDefault("PT24H")
    Duration secretOverlap();

    /**
     * How often an instance re-reads which event types any webhook wants. An event of a type no
     * webhook wants costs the event stream nothing; a webhook created on another instance receives
     * the events published from at most this long after its creation.
     */
    @WithDefault("PT5S")
    Duration subscriptionsRefreshInterval();

    /** How long delivered and dead deliveries are kept (to list and replay), then purged. */
    @WithDefault("P7D")
    Duration retention();

    /** Dead deliveries one replay request puts back; the answer says whether more are left. */
    @WithDefault("10000")
    @Min(1)
    @Max(1_000_000)
    int replayMax();

    /** How often the purge of old deliveries runs (read by WebhookRetention's schedule). */
    @WithDefault("PT1H")
    Duration purgeInterval();

    @WithDefault("50")
    @Min(1)
    @Max(PAGE_SIZE_MAX)
    int pageSizeDefault();

    int PAGE_SIZE_MAX = 500;
}
