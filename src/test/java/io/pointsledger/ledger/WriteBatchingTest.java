package io.pointsledger.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.MeterRegistry;
import io.pointsledger.partners.Caller;
import io.pointsledger.platform.ProblemException;
import io.pointsledger.support.LedgerApi;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Writes submitted together are committed together, each with its own answer. The batch size
 * is set to the number of writes each test submits, so they fill exactly one batch.
 */
@QuarkusTest
@TestProfile(WriteBatchingTest.BatchesOfThree.class)
class WriteBatchingTest {

    public static class BatchesOfThree implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // The third write fills the batch and sends it; the long wait only guards against a
            // slow machine splitting the three before that.
            return Map.of("points-ledger.batching.max-size", "3", "points-ledger.batching.max-wait-millis", "100");
        }
    }

    @Inject
    LedgerService ledger;

    @Inject
    MeterRegistry registry;

    private static EarnRequest earn(long points) {
        return new EarnRequest("order", new Money(100L, "USD"), null, SalesChannel.POS, points, null);
    }

    private static RedeemRequest redeem(long points) {
        return new RedeemRequest(points, "order", SalesChannel.POS);
    }

    /** Subscribes to all writes at once (one batch), then waits for each answer: a status or an error code. */
    private List<String> inOneBatch(List<Uni<? extends Posted<?>>> writes) {
        double batchesBefore = registry.summary("ledger.write.batch.size").count();
        List<CompletableFuture<String>> answers = new ArrayList<>();
        for (Uni<? extends Posted<?>> write : writes) {
            answers.add(write.map(posted -> posted.status() + (posted.replayed() ? " replayed" : ""))
                    .onFailure(ProblemException.class).recoverWithItem(failure -> ((ProblemException) failure).code().name())
                    .subscribeAsCompletionStage());
        }
        List<String> results = answers.stream().map(CompletableFuture::join).toList();
        assertEquals(batchesBefore + 1, registry.summary("ledger.write.batch.size").count(), "one batch, one commit");
        return results;
    }

    @Test
    void shouldAnswerEachWriteOfABatchOnItsOwnWhenSomeAreRefused() {
        UUID memberId = LedgerApi.enrollWithPoints(100);

        List<String> answers = inOneBatch(List.of(
                ledger.redeem(Caller.OPERATOR, memberId, "mixed-1-" + memberId, redeem(60)),
                ledger.redeem(Caller.OPERATOR, memberId, "mixed-2-" + memberId, redeem(60)),
                ledger.redeem(Caller.OPERATOR, memberId, "mixed-3-" + memberId, redeem(30))));

        assertEquals(List.of("201", "INSUFFICIENT_POINTS", "201"), answers);
        assertEquals(10, LedgerApi.available(memberId));
        LedgerApi.assertReconciles();
    }

    @Test
    void shouldApplyADuplicateKeyInsideOneBatchOnce() {
        UUID memberId = LedgerApi.enroll();
        String key = "same-batch-" + memberId;

        List<String> answers = inOneBatch(List.of(
                ledger.earn(Caller.OPERATOR, memberId, key, earn(40)),
                ledger.earn(Caller.OPERATOR, memberId, key, earn(40)),
                ledger.earn(Caller.OPERATOR, memberId, key, earn(41))));

        assertEquals(List.of("201", "201 replayed", "IDEMPOTENCY_KEY_REUSED"), answers);
        assertEquals(40, LedgerApi.available(memberId));
    }

    @Test
    void shouldApplyOneMembersWritesInArrivalOrder() {
        UUID first = LedgerApi.enroll();
        UUID second = LedgerApi.enroll();

        List<String> earnThenRedeem = inOneBatch(List.of(
                ledger.earn(Caller.OPERATOR, first, "order-1-" + first, earn(10)),
                ledger.redeem(Caller.OPERATOR, first, "order-2-" + first, redeem(10)),
                ledger.redeem(Caller.OPERATOR, second, "order-3-" + second, redeem(10))));
        List<String> redeemThenEarn = inOneBatch(List.of(
                ledger.redeem(Caller.OPERATOR, second, "order-4-" + second, redeem(10)),
                ledger.earn(Caller.OPERATOR, second, "order-5-" + second, earn(10)),
                ledger.earn(Caller.OPERATOR, first, "order-6-" + first, earn(5))));

        assertEquals(List.of("201", "201", "INSUFFICIENT_POINTS"), earnThenRedeem);
        assertEquals(List.of("INSUFFICIENT_POINTS", "201", "201"), redeemThenEarn);
        assertEquals(5, LedgerApi.available(first));
        assertEquals(10, LedgerApi.available(second));
        assertTrue(registry.summary("ledger.write.batch.size").max() >= 3);
        LedgerApi.assertReconciles();
    }

    @Test
    void shouldCommitEveryWriteOfABatchDurablyAndVisibly() {
        UUID memberId = LedgerApi.enroll();
        List<String> answers = inOneBatch(List.of(
                ledger.earn(Caller.OPERATOR, memberId, "visible-1-" + memberId, earn(1)),
                ledger.earn(Caller.OPERATOR, memberId, "visible-2-" + memberId, earn(2)),
                ledger.earn(Caller.OPERATOR, memberId, "visible-3-" + memberId, earn(3))));

        assertEquals(List.of("201", "201", "201"), answers);
        assertEquals(6, ledger.balance(memberId).await().atMost(Duration.ofSeconds(5)).posted());
    }
}
