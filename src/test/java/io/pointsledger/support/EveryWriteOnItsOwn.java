package io.pointsledger.support;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * Group commit off: each write is a transaction of its own, so that writes racing for one account
 * really race (in a batch they would be decided one after the other).
 */
public class EveryWriteOnItsOwn implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("points-ledger.batching.enabled", "false");
    }
}
