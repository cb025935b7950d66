package io.pointsledger.events;

import static io.pointsledger.support.LedgerApi.earnForAmount;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pointsledger.support.Database;
import io.pointsledger.support.EarnBurst;
import io.pointsledger.support.KafkaBroker;
import io.pointsledger.support.KafkaProcess;
import io.pointsledger.support.LedgerApi;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The whole pipeline against a real Kafka broker: outbox, relay, topic, each consumer's own group.
 * A burst is applied in full; with the broker down, earns still commit and their events wait in
 * the outbox until it is back.
 */
@QuarkusTest
@TestProfile(KafkaPipelineTest.OnKafka.class)
@WithTestResource(value = KafkaBroker.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class KafkaPipelineTest {

    private static final Duration DEADLINE = Duration.ofSeconds(60);

    public static class OnKafka implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "points-ledger.events.publish-timeout", "PT3S",
                    "points-ledger.events.retry-backoff-max", "PT2S");
        }
    }

    @Inject
    Pool pool;

    private static String tier(UUID memberId) {
        return LedgerApi.given().get("/v1/members/{memberId}/tier", memberId).then().statusCode(200).extract().path("tier");
    }

    private long pendingEvents(UUID memberId) {
        return Database.single(pool, "SELECT count(*) FROM outbox WHERE member_id = $1", memberId).getLong(0);
    }

    @Test
    void shouldApplyEveryPurchaseOfABurstThroughKafkaAndDrainTheLag() throws Exception {
        EarnBurst burst = EarnBurst.send(5_000, 32);

        burst.assertFullyConsumed(pool, Duration.ofMinutes(2));
        LedgerApi.assertReconciles();
    }

    @Test
    void shouldCarryPurchasesToTiersThroughKafkaAndSurviveTheBrokerGoingDown() {
        UUID memberId = LedgerApi.enroll();
        earnForAmount(memberId, "kafka-1-" + memberId, 350_000).then().statusCode(201);
        await().atMost(DEADLINE).until(() -> "SILVER".equals(tier(memberId)));

        KafkaProcess.stop();
        earnForAmount(memberId, "kafka-2-" + memberId, 700_000).then().statusCode(201);
        earnForAmount(memberId, "kafka-3-" + memberId, 10_000).then().statusCode(201);
        assertTrue(pendingEvents(memberId) >= 1, "events wait in the outbox while the broker is down");
        assertEquals("SILVER", tier(memberId));

        KafkaProcess.start();
        await().atMost(DEADLINE).until(() -> pendingEvents(memberId) == 0);
        await().atMost(DEADLINE).until(() -> "GOLD".equals(tier(memberId)));
        LedgerApi.assertReconciles();
    }
}
