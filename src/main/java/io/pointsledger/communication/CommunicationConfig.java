package io.pointsledger.communication;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Contacting members: consent, preferences and the links in every message. */
@ConfigMapping(prefix = "points-ledger.communication")
public interface CommunicationConfig {

    /**
     * How long an unsubscribe link works after its message was sent. Long, because people
     * unsubscribe from old messages; bounded, so that a leaked link does not work for ever.
     */
    @WithDefault("P365D")
    Duration unsubscribeLinkLifetime();
}
