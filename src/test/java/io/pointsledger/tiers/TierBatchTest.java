package io.pointsledger.tiers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pointsledger.support.Database;
import io.pointsledger.support.LedgerApi;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The tier consumer's batch path has exactly the effect of applying the same events one by one:
 * the consumer falls back from one to the other, and a redelivery may take either.
 */
@QuarkusTest
class TierBatchTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Inject
    TierService tiers;

    @Inject
    Pool pool;

    @Test
    void shouldNotUpgradeOnAPurchaseThatAReversalInTheSameBatchTakesBack() {
        UUID memberId = LedgerApi.enroll();
        UUID first = UUID.randomUUID();
        List<JsonObject> batch = List.of(
                purchase(memberId, first, 200_000),
                reversal(memberId, first, 200_000),
                purchase(memberId, UUID.randomUUID(), 150_000));

        tiers.applyAll(batch).await().atMost(TIMEOUT);

        assertEquals("BASIC", Database.account(pool, memberId).getString("tier"),
                "150 000 after the reversal stays below SILVER's 300 000, as event by event");
        assertEquals(150_000, spend(memberId));
    }

    @Test
    void shouldFinishAnUpgradeWhenABatchWhosePurchasesWereRecordedIsDeliveredAgain() {
        UUID memberId = LedgerApi.enroll();
        JsonObject purchase = purchase(memberId, UUID.randomUUID(), 300_000);
        // As if a crash came between recording the purchase and upgrading the member.
        Database.execute(pool, """
                INSERT INTO tier_purchases (transfer_id, member_id, amount_minor_units, points, occurred_at)
                VALUES ($1, $2, 300000, 3000, now())""", UUID.fromString(purchase.getString("transferId")), memberId);

        tiers.applyAll(List.of(purchase)).await().atMost(TIMEOUT);

        assertEquals("SILVER", Database.account(pool, memberId).getString("tier"));
        assertEquals(300_000, spend(memberId), "the purchase still counts once");
    }

    @Test
    void shouldCountEachPurchaseOnceWhenTheSameBatchIsAppliedTwice() {
        UUID memberId = LedgerApi.enroll();
        List<JsonObject> batch = List.of(purchase(memberId, UUID.randomUUID(), 100_000), purchase(memberId, UUID.randomUUID(), 50_000));

        tiers.applyAll(batch).await().atMost(TIMEOUT);
        tiers.applyAll(batch).await().atMost(TIMEOUT);
        batch.forEach(event -> tiers.apply(event).await().atMost(TIMEOUT));

        assertEquals(150_000, spend(memberId));
    }

    private long spend(UUID memberId) {
        return Database.single(pool, "SELECT sum(amount_minor_units - reversed_minor_units) FROM tier_purchases WHERE member_id = $1",
                memberId).getLong(0);
    }

    private static JsonObject purchase(UUID memberId, UUID transferId, long amount) {
        return new JsonObject().put("kind", "EARN").put("transferId", transferId.toString()).put("memberId", memberId.toString())
                .put("points", amount / 100).put("amount", new JsonObject().put("value", amount).put("currency", "USD"))
                .put("occurredAt", OffsetDateTime.now().toString());
    }

    private static JsonObject reversal(UUID memberId, UUID original, long amount) {
        return new JsonObject().put("kind", "REVERSAL").put("transferId", UUID.randomUUID().toString())
                .put("memberId", memberId.toString()).put("relatedTransferId", original.toString()).put("points", amount / 100);
    }
}
