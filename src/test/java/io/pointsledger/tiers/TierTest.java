package io.pointsledger.tiers;

import static io.pointsledger.support.LedgerApi.earnForAmount;
import static io.pointsledger.support.LedgerApi.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pointsledger.support.Database;
import io.pointsledger.support.Holds;
import io.pointsledger.support.LedgerApi;
import io.pointsledger.support.MovableClock;
import io.pointsledger.support.OwnerDatabase;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Tiers follow purchases through the event pipeline: up at once, down only at the review. */
@QuarkusTest
class TierTest {

    private static final Duration PIPELINE_DEADLINE = Duration.ofSeconds(20);

    @Inject
    TierService tiers;

    @Inject
    TierReview review;

    @Inject
    MovableClock clock;

    @Inject
    Pool pool;

    /** Deletes what the runtime role may not: the scenario's setup only. */
    @Inject
    OwnerDatabase owner;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    private static String tierOf(UUID memberId) {
        return given().get("/v1/members/{memberId}/tier", memberId).then().statusCode(200).extract().path("tier");
    }

    @Test
    void shouldUpgradeAsSoonAsTheQualifyingPurchaseIsProcessedAndApplyTheNewMultiplier() {
        UUID memberId = LedgerApi.enroll();
        earnForAmount(memberId, "tier-1-" + memberId, 200_000).then().statusCode(201).body("points", equalTo(2_000));
        given().get("/v1/members/{memberId}/tier", memberId).then().statusCode(200)
                .body("tier", equalTo("BASIC")).body("nextTier", equalTo("SILVER"));

        earnForAmount(memberId, "tier-2-" + memberId, 100_000).then().statusCode(201);

        await().atMost(PIPELINE_DEADLINE).until(() -> "SILVER".equals(tierOf(memberId)));
        given().get("/v1/members/{memberId}/tier", memberId).then()
                .body("qualifyingSpend", equalTo(300_000)).body("nextTier", equalTo("GOLD"))
                .body("remainingToNextTier", equalTo(700_000));
        earnForAmount(memberId, "tier-3-" + memberId, 10_000).then().statusCode(201).body("points", equalTo(150));
        given().get("/v1/members/{memberId}/balance", memberId).then().body("tier", equalTo("SILVER"));
    }

    @Test
    void shouldDowngradeOnlyAtTheReview() {
        UUID memberId = LedgerApi.enroll();
        String earned = earnForAmount(memberId, "review-" + memberId, 1_000_000).then().statusCode(201)
                .extract().path("transactionId");
        await().atMost(PIPELINE_DEADLINE).until(() -> "GOLD".equals(tierOf(memberId)));

        Holds.reverse(earned, "review-return-" + memberId, 5_000L).then().statusCode(201);
        await().atMost(PIPELINE_DEADLINE).until(() -> given().get("/v1/members/{memberId}/tier", memberId)
                .then().extract().<Integer>path("qualifyingSpend") == 500_000);
        assertEquals("GOLD", tierOf(memberId), "no downgrade before the review");

        clock.moveForward(Duration.ofDays(31));
        review.reviewDueMembers().await().atMost(Duration.ofSeconds(30));

        assertEquals("SILVER", tierOf(memberId));
        assertEquals(List.of("BASIC>GOLD", "GOLD>SILVER"), Database.all(pool,
                        "SELECT from_tier || '>' || to_tier FROM tier_changes WHERE member_id = $1 ORDER BY sequence", memberId).stream()
                .map(row -> row.getString(0)).toList(), "each change recorded for the members report, in order");
    }

    @Test
    void shouldIgnoreARedeliveredEvent() {
        UUID memberId = LedgerApi.enroll();
        String earned = earnForAmount(memberId, "redelivered-" + memberId, 160_000).then().statusCode(201)
                .extract().path("transactionId");
        await().atMost(PIPELINE_DEADLINE).until(() -> qualifyingSpend(memberId) == 160_000);
        JsonObject event = new JsonObject()
                .put("schemaVersion", 1).put("kind", "EARN").put("memberId", memberId.toString()).put("transferId", earned);

        tiers.apply(event).await().atMost(Duration.ofSeconds(10));
        tiers.apply(event).await().atMost(Duration.ofSeconds(10));

        given().get("/v1/members/{memberId}/tier", memberId).then().statusCode(200)
                .body("qualifyingSpend", equalTo(160_000)).body("tier", equalTo("BASIC"));
        earnForAmount(memberId, "redelivered-second-" + memberId, 160_000).then().statusCode(201);
        await().atMost(PIPELINE_DEADLINE).until(() -> "SILVER".equals(tierOf(memberId)));
    }

    /** An explicit award counts no more spend than its points are worth: a huge amount with one point bought GOLD. */
    @Test
    void shouldNotCountMoreSpendThanExplicitPointsAreWorth() {
        UUID memberId = LedgerApi.enroll();
        LedgerApi.earn(memberId, "inflated-" + memberId, Map.of("orderId", "inflated", "channel", "PARTNER", "points", 1,
                "amount", Map.of("value", 9_000_000_000_000L, "currency", "USD"))).then().statusCode(201);

        // One point is worth at most 199 minor units at 1 point per 100 (199 still earns 1).
        await().atMost(PIPELINE_DEADLINE).until(() -> qualifyingSpend(memberId) == 199);
        assertEquals("BASIC", tierOf(memberId));
        earnForAmount(memberId, "after-inflated-" + memberId, 10_000).then().statusCode(201).body("points", equalTo(100));
    }

    /** Whoever can write to the topic must not raise a tier: a forged event for no transfer is dead-lettered. */
    @Test
    void shouldNotCountAForgedEventForATransferTheLedgerDoesNotHave() {
        UUID memberId = LedgerApi.enroll();
        UUID forgedId = UUID.randomUUID();
        publishForged(memberId, forgedId, 9_000_000_000_000L);

        await().atMost(PIPELINE_DEADLINE).until(() -> Database.single(pool,
                "SELECT count(*) FROM dead_letters WHERE event_id = $1 AND consumer = 'tier-updates'", forgedId).getLong(0) == 1);
        assertEquals("BASIC", tierOf(memberId));
        assertEquals(0, qualifyingSpend(memberId));
    }

    @Test
    void shouldCountTheRecordedAmountOfATransferAForgedEventLiesAbout() {
        UUID memberId = LedgerApi.enroll();
        UUID earned = UUID.fromString(earnForAmount(memberId, "lied-about-" + memberId, 100_000).then().statusCode(201)
                .extract().path("transactionId"));
        await().atMost(PIPELINE_DEADLINE).until(() -> qualifyingSpend(memberId) == 100_000);
        // As if the forged event were the first to name the transfer.
        Database.execute(owner.pool(), "DELETE FROM tier_purchases WHERE member_id = $1", memberId);

        publishForged(memberId, earned, 9_000_000_000_000L);

        await().atMost(PIPELINE_DEADLINE).until(() -> Database.single(pool,
                "SELECT count(*) FROM tier_purchases WHERE transfer_id = $1", earned).getLong(0) == 1);
        assertEquals(100_000, qualifyingSpend(memberId));
        assertEquals("BASIC", tierOf(memberId));
    }

    private static long qualifyingSpend(UUID memberId) {
        return given().get("/v1/members/{memberId}/tier", memberId).then().statusCode(200).extract()
                .<Number>path("qualifyingSpend").longValue();
    }

    /** An EARN event written straight to the outbox, as someone able to write to the topic could. */
    private void publishForged(UUID memberId, UUID transferId, long amount) {
        Database.execute(pool, """
                INSERT INTO outbox (event_id, member_id, event_type, payload)
                VALUES (gen_random_uuid(), $1, 'TRANSFER_RECORDED', jsonb_build_object('schemaVersion', 1, 'kind', 'EARN',
                        'transferId', $2::text, 'memberId', $1::text, 'points', $3::bigint / 100,
                        'amount', jsonb_build_object('value', $3::bigint, 'currency', 'USD'), 'items', '[]'::jsonb,
                        'occurredAt', now()::text))""", memberId, transferId, amount);
    }
}
