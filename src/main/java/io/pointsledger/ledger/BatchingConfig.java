package io.pointsledger.ledger;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;

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

    /** The longest a write waits for company; at most 2 ms, rounded to whole milliseconds (at least 1). */
    @WithDefault("PT0.002S")
    Duration maxWait();

    /** Writes per batch; a full batch goes at once. 1 behaves exactly like no batching. */
    @WithDefault("64")
    @Min(1)
    @Max(1_000)
    int maxSize();
}
