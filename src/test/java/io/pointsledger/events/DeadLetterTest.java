package io.pointsledger.events;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pointsledger.support.Database;
import io.pointsledger.support.LedgerApi;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.UUID;
import org.hamcrest.MatcherAssert;
import org.junit.jupiter.api.Test;

/**
 * An event a consumer cannot apply goes to the dead letters with the reason, and the events
 * behind it, the same member's included, are applied: before, a failing event was redelivered
 * for ever and held back everything after it.
 */
@QuarkusTest
class DeadLetterTest {

    private static final Duration DEADLINE = Duration.ofSeconds(30);

    @Inject
    Pool pool;

    @Test
    void shouldDeadLetterAPoisonEventAndApplyTheEventsBehindIt() {
        UUID memberId = LedgerApi.enroll();
        UUID poisonId = UUID.randomUUID();
        // A purchase the ledger never recorded (with an amount that is text, at that): the tier
        // consumer cannot apply it, however often it tries (nor can recommendations, which
        // dead-letter it on their own; this test follows the tier consumer).
        Database.execute(pool, """
                INSERT INTO outbox (event_id, member_id, event_type, payload)
                VALUES ($1, $2, 'TRANSFER_RECORDED', jsonb_build_object('schemaVersion', 1, 'kind', 'EARN',
                        'transferId', $1::text, 'memberId', $2::text, 'points', 1,
                        'amount', jsonb_build_object('value', 'a lot', 'currency', 'USD'),
                        'occurredAt', now()::text))""", poisonId, memberId);
        LedgerApi.earnForAmount(memberId, "after-poison-" + memberId, 300_000).then().statusCode(201);

        await().atMost(DEADLINE).until(() -> "SILVER".equals(Database.account(pool, memberId).getString("tier")));
        Row deadLetter = Database.single(pool,
                "SELECT consumer, member_id, reason, attempts, payload FROM dead_letters WHERE event_id = $1 AND consumer = 'tier-updates'",
                poisonId);
        assertEquals("tier-updates", deadLetter.getString("consumer"));
        assertEquals(memberId, deadLetter.getUUID("member_id"));
        MatcherAssert.assertThat(deadLetter.getString("reason"), containsString("no earn or reversal " + poisonId));
        MatcherAssert.assertThat(deadLetter.getString("payload"), containsString("a lot"));
        assertEquals(1, deadLetter.getInteger("attempts"), "a malformed event is not retried");
        await().atMost(DEADLINE).until(() -> Database.single(pool, "SELECT count(*) FROM outbox").getLong(0) == 0);
        assertTrue(deadLettersMetric("tier-updates") >= 1, "ledger_events_dead_letters_total counts it");
    }

    @Test
    void shouldRecordAPoisonEventOnceHoweverOftenItIsDelivered() {
        UUID memberId = LedgerApi.enroll();
        UUID poisonId = UUID.randomUUID();
        String insert = """
                INSERT INTO outbox (event_id, member_id, event_type, payload)
                VALUES ($1, $2, 'TRANSFER_RECORDED', jsonb_build_object('kind', 'EARN', 'transferId', $3::text,
                        'memberId', $2::text, 'amount', jsonb_build_object('value', 'x')))""";
        // The same event twice, as a relay crash between publish and delete would deliver it.
        Database.execute(pool, insert, UUID.randomUUID(), memberId, poisonId);
        Database.execute(pool, insert, UUID.randomUUID(), memberId, poisonId);

        // Each consumer that refuses it (tiers and recommendations both do) records it once, with both attempts.
        for (String consumer : new String[] {"tier-updates", "recommendation-updates"}) {
            await().atMost(DEADLINE).until(() -> Database.single(pool,
                    "SELECT coalesce(sum(attempts), 0) FROM dead_letters WHERE event_id = $1 AND consumer = $2", poisonId, consumer)
                    .getLong(0) == 2);
            assertEquals(1, Database.single(pool, "SELECT count(*) FROM dead_letters WHERE event_id = $1 AND consumer = $2",
                    poisonId, consumer).getLong(0));
        }
    }

    private static double deadLettersMetric(String consumer) {
        String metrics = RestAssured.given().get("/q/metrics").then().statusCode(200).extract().asString();
        String prefix = "ledger_events_dead_letters_total{consumer=\"" + consumer + "\"";
        return metrics.lines().filter(line -> line.startsWith(prefix))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }
}
