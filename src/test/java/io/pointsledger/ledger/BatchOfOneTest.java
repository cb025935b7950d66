package io.pointsledger.ledger;

import static io.pointsledger.support.LedgerApi.earnPoints;
import static io.pointsledger.support.LedgerApi.redeem;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.core.instrument.MeterRegistry;
import io.pointsledger.support.LedgerApi;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** With a batch size of one, every write is its own batch and answers exactly as unbatched. */
@QuarkusTest
@TestProfile(BatchOfOneTest.BatchesOfOne.class)
class BatchOfOneTest {

    public static class BatchesOfOne implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // max-wait-millis is no longer read; a configuration that still sets it must start.
            return Map.of("points-ledger.batching.max-size", "1", "points-ledger.batching.max-wait-millis", "2");
        }
    }

    @Inject
    MeterRegistry registry;

    @Test
    void shouldAnswerEarnRedeemReplayAndRefusalAsWithoutBatching() {
        double batchesBefore = registry.summary("ledger.write.batch.size").count();
        UUID memberId = LedgerApi.enroll();

        earnPoints(memberId, "one-earn-" + memberId, 50).then().statusCode(201)
                .body("kind", equalTo("EARN")).body("points", equalTo(50)).body("available", equalTo(50));
        earnPoints(memberId, "one-earn-" + memberId, 50).then().statusCode(201).header("Idempotent-Replayed", "true");
        earnPoints(memberId, "one-earn-" + memberId, 51).then().statusCode(422).body("code", equalTo("IDEMPOTENCY_KEY_REUSED"));
        redeem(memberId, "one-redeem-" + memberId, 51).then().statusCode(409).body("code", equalTo("INSUFFICIENT_POINTS"));
        redeem(memberId, "one-redeem-" + memberId, 50).then().statusCode(201).body("available", equalTo(0));

        assertEquals(batchesBefore + 5, registry.summary("ledger.write.batch.size").count(), "five writes, five batches");
        assertEquals(1.0, registry.summary("ledger.write.batch.size").max());
        LedgerApi.assertReconciles();
    }
}
