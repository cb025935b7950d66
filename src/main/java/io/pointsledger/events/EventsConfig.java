package io.pointsledger.events;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;

/** The outbox relay and the event consumers. */
@ConfigMapping(prefix = "points-ledger.events")
public interface EventsConfig {

    /** How often the relay looks for unpublished events when the last look found none. */
    @WithDefault("PT0.2S")
    Duration relayInterval();

    /** Events read from the outbox per batch. */
    @WithDefault("500")
    @Min(1)
    @Max(10_000)
    int relayBatchSize();

    /**
     * Events sent but not yet acknowledged by the broker, at most: the relay sends the next one
     * only when one of these is acknowledged. Keep it at or below the in-process broker's
     * {@code in-flight-max} and the emitter's buffer (both 256).
     */
    @WithDefault("128")
    @Min(1)
    @Max(256)
    int relayInFlightMax();

    /** Longest wait for the broker to acknowledge one event; then it is sent again by a later batch. */
    @WithDefault("PT10S")
    Duration publishTimeout();

    /**
     * How long the relay lease lasts without renewal: the longest another instance waits to take
     * over from a relay that died. Must exceed the publish timeout, since the lease is renewed
     * between batches only.
     */
    @WithDefault("PT30S")
    Duration relayLease();

    /**
     * Times the broker may refuse one event while it acknowledges others of the same batch; then
     * the event moves to the dead letters so that the events behind it go out.
     */
    @WithDefault("5")
    @Min(1)
    @Max(100)
    int relayRefusalsMax();

    /** After a failed batch the relay waits this long, doubling per failure up to the maximum. */
    @WithDefault("PT0.5S")
    Duration retryBackoffInitial();

    @WithDefault("PT30S")
    Duration retryBackoffMax();

    /** How often the backlog gauges are measured; their age is exported beside them. */
    @WithDefault("PT1S")
    Duration backlogMeasureInterval();

    /**
     * Rows counted at most by one backlog measurement, so that a huge backlog stays cheap to
     * measure: every instance counts every second, and with a million it cost 26 to 91 ms of
     * PostgreSQL time a second once the outbox had grown that large (a broker away), up to a tenth
     * of the database's work (load-tests/RESULTS.md A22). Past it, the gauge reads the cap and the
     * age of the oldest event, exact, says how far behind the relay is.
     */
    @WithDefault("100000")
    @Min(1)
    int backlogCountMax();

    /** Consumers: attempts at one event before it goes to the dead letters. */
    @WithDefault("5")
    @Min(1)
    @Max(20)
    int consumerAttemptsMax();

    /** Consumers: the wait before the second attempt, doubling per attempt. */
    @WithDefault("PT0.2S")
    Duration consumerRetryBackoffInitial();

    /** Consumers: the longest wait between two attempts. */
    @WithDefault("PT5S")
    Duration consumerRetryBackoffMax();

    /**
     * Consumers: members whose events of one batch are applied at the same time (one member's
     * events are always applied one after the other, in order). Each takes a database connection.
     */
    @WithDefault("4")
    @Min(1)
    @Max(32)
    int consumerMembersInParallelMax();
}
