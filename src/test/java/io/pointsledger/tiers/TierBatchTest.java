package io.pointsledger.tiers;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.pointsledger.support.Database;
import io.pointsledger.support.Holds;
import io.pointsledger.support.LedgerApi;
import io.pointsledger.support.OwnerDatabase;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The tier consumer's batch path has exactly the effect of applying the same events one by one:
 * the consumer falls back from one to the other, and a redelivery may take either. The events
 * name real transfers, since the consumer counts what the ledger recorded; each test waits for
 * the pipeline to apply them, then makes the consumer forget them and applies them itself.
 */
@QuarkusTest
class TierBatchTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Inject
    TierService tiers;

    @Inject
    Pool pool;

    /** Deletes what the runtime role may not: the scenario's setup only. */
    @Inject
    OwnerDatabase owner;

    @Test
    void shouldNotUpgradeOnAPurchaseThatAReversalInTheSameBatchTakesBack() {
        UUID memberId = LedgerApi.enroll();
        UUID first = earn(memberId, 200_000);
        UUID reversal = reverse(first);
        UUID second = earn(memberId, 150_000);
        List<JsonObject> batch = List.of(event("EARN", memberId, first), event("REVERSAL", memberId, reversal),
                event("EARN", memberId, second));
        forgetOnceApplied(memberId, 150_000, reversal);

        tiers.applyAll(batch).await().atMost(TIMEOUT);

        assertEquals("BASIC", Database.account(pool, memberId).getString("tier"),
                "150 000 after the reversal stays below SILVER's 300 000, as event by event");
        assertEquals(150_000, spend(memberId));
    }

    @Test
    void shouldFinishAnUpgradeWhenABatchWhosePurchasesWereRecordedIsDeliveredAgain() {
        UUID memberId = LedgerApi.enroll();
        JsonObject purchase = event("EARN", memberId, earn(memberId, 300_000));
        await().atMost(TIMEOUT).until(() -> "SILVER".equals(Database.account(pool, memberId).getString("tier")));
        // As if a crash came between recording the purchase and upgrading the member.
        Database.execute(pool, "UPDATE member_accounts SET tier = 'BASIC' WHERE member_id = $1", memberId);
        Database.execute(owner.pool(), "DELETE FROM tier_status WHERE member_id = $1", memberId);

        tiers.applyAll(List.of(purchase)).await().atMost(TIMEOUT);

        assertEquals("SILVER", Database.account(pool, memberId).getString("tier"));
        assertEquals(300_000, spend(memberId), "the purchase still counts once");
    }

    @Test
    void shouldCountEachPurchaseOnceWhenTheSameBatchIsAppliedTwice() {
        UUID memberId = LedgerApi.enroll();
        List<JsonObject> batch = List.of(event("EARN", memberId, earn(memberId, 100_000)),
                event("EARN", memberId, earn(memberId, 50_000)));
        forgetOnceApplied(memberId, 150_000);

        tiers.applyAll(batch).await().atMost(TIMEOUT);
        tiers.applyAll(batch).await().atMost(TIMEOUT);
        batch.forEach(event -> tiers.apply(event).await().atMost(TIMEOUT));

        assertEquals(150_000, spend(memberId));
    }

    @Test
    void shouldCountWhatTheLedgerRecordedWhateverTheEventSaysInBothPaths() {
        UUID memberId = LedgerApi.enroll();
        UUID earned = earn(memberId, 100_000);
        JsonObject lying = event("EARN", memberId, earned).put("points", 90_000_000)
                .put("amount", new JsonObject().put("value", 9_000_000_000L).put("currency", "USD"));
        forgetOnceApplied(memberId, 100_000);

        tiers.applyAll(List.of(lying)).await().atMost(TIMEOUT);
        assertEquals(100_000, spend(memberId));
        forgetOnceApplied(memberId, 100_000);
        tiers.apply(lying).await().atMost(TIMEOUT);

        assertEquals(100_000, spend(memberId));
        assertEquals("BASIC", Database.account(pool, memberId).getString("tier"));
    }

    @Test
    void shouldRefuseAnEventForATransferTheLedgerDoesNotHaveInBothPaths() {
        UUID memberId = LedgerApi.enroll();
        JsonObject forged = event("EARN", memberId, UUID.randomUUID())
                .put("amount", new JsonObject().put("value", 9_000_000_000L).put("currency", "USD"));

        // Not worth retrying: the consumer sends it to the dead letters at once.
        assertThrows(IllegalArgumentException.class, () -> tiers.applyAll(List.of(forged)).await().atMost(TIMEOUT));
        assertThrows(IllegalArgumentException.class, () -> tiers.apply(forged).await().atMost(TIMEOUT));

        assertEquals(0, spend(memberId));
        assertEquals("BASIC", Database.account(pool, memberId).getString("tier"));
    }

    private UUID earn(UUID memberId, long amount) {
        return UUID.fromString(LedgerApi.earnForAmount(memberId, UUID.randomUUID().toString(), amount).then().statusCode(201)
                .extract().path("transactionId"));
    }

    private static UUID reverse(UUID earned) {
        return UUID.fromString(Holds.reverse(earned.toString(), UUID.randomUUID().toString(), null).then().statusCode(201)
                .extract().path("transactionId"));
    }

    /** Waits for the pipeline to apply the member's events, then forgets them, as if never delivered. */
    private void forgetOnceApplied(UUID memberId, long spend, UUID... reversals) {
        await().atMost(TIMEOUT).until(() -> spend(memberId) == spend && Database.single(pool,
                "SELECT count(*) FROM tier_reversals_applied WHERE transfer_id = ANY($1)", (Object) reversals).getLong(0)
                == reversals.length);
        Database.execute(owner.pool(), "DELETE FROM tier_purchases WHERE member_id = $1", memberId);
        Database.execute(owner.pool(), "DELETE FROM tier_reversals_applied WHERE transfer_id = ANY($1)", (Object) reversals);
    }

    private long spend(UUID memberId) {
        return Database.single(pool, "SELECT coalesce(sum(amount_minor_units - reversed_minor_units), 0) FROM tier_purchases"
                + " WHERE member_id = $1", memberId).getLong(0);
    }

    /** An event as the relay publishes it, reduced to what the consumer may rely on: which transfer. */
    private static JsonObject event(String kind, UUID memberId, UUID transferId) {
        return new JsonObject().put("schemaVersion", 1).put("kind", kind).put("transferId", transferId.toString())
                .put("memberId", memberId.toString());
    }
}
