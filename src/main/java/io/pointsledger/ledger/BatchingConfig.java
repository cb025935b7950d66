package io.pointsledger.ledger;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/**
 * Group commit of earns, redeems and holds: concurrent requests wait at most {@link #maxWait()}
 * to share one round trip and one commit (synchronous_commit stays on: every acknowledged write
 * is durable).
 */
@ConfigMapping(prefix = "points-ledger.batching")
public interface BatchingConfig {

    /** False sends every write on its own. */
    @WithDefault("true")
    boolean enabled();

    /** The longest a write waits for company, in whole milliseconds (Vert.x timers have no finer grain). */
    @WithDefault("2")
    @Min(1)
    @Max(MAX_WAIT_MILLIS_LIMIT)
    long maxWaitMillis();

    /** Above this a batch would cost a till noticeable latency; 2 ms is the default and the advice. */
    long MAX_WAIT_MILLIS_LIMIT = 100;

    /** Writes per batch; a full batch goes at once. 1 behaves exactly like no batching. */
    @WithDefault("64")
    @Min(1)
    @Max(1_000)
    int maxSize();
}
