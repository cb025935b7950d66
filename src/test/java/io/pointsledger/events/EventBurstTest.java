package io.pointsledger.events;

import io.pointsledger.support.EarnBurst;
import io.pointsledger.support.LedgerApi;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The in-process pipeline under a burst: before the relay sent only what the consumers had asked
 * for, 5 000 earns from 32 threads overflowed the channel and stopped it for good.
 */
@QuarkusTest
class EventBurstTest {

    @Inject
    Pool pool;

    @Test
    void shouldApplyEveryPurchaseOfABurstToTiersAndRecommendationsAndDrainTheLag() throws Exception {
        EarnBurst burst = EarnBurst.send(5_000, 32);

        burst.assertFullyConsumed(pool, Duration.ofMinutes(2));
        LedgerApi.assertReconciles();
    }
}
