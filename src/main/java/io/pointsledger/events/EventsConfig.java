package io.pointsledger.events;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;

/** The outbox relay. */
@ConfigMapping(prefix = "points-ledger.events")
public interface EventsConfig {

    /**
     * Build time: true wires the channels in process (dev mode, tests); production sets false and
     * binds them to Kafka.
     */
    @WithDefault("true")
    boolean inProcess();

    /** How often the relay looks for unpublished events. */
    @WithDefault("PT0.2S")
    Duration relayInterval();

    /** Events published per relay transaction. */
    @WithDefault("500")
    @Min(1)
    @Max(10_000)
    int relayBatchSize();

    /** Longest wait for the broker to acknowledge a batch; then the batch is retried. */
    @WithDefault("PT10S")
    Duration publishTimeout();

    /** After a failed batch the relay waits this long, doubling per failure up to the maximum. */
    @WithDefault("PT0.5S")
    Duration retryBackoffInitial();

    @WithDefault("PT30S")
    Duration retryBackoffMax();
}
