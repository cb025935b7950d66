package io.pointsledger.ledger;

import static io.pointsledger.support.LedgerApi.earnPoints;
import static io.pointsledger.support.ProblemAssertions.assertProblem;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.core.instrument.MeterRegistry;
import io.pointsledger.holds.CaptureRequest;
import io.pointsledger.holds.HoldService;
import io.pointsledger.partners.Caller;
import io.pointsledger.platform.ProblemException;
import io.pointsledger.support.Database;
import io.pointsledger.support.Holds;
import io.pointsledger.support.LedgerApi;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * While a batch is in flight, the writes that arrive gather and go together once it returns,
 * each with its own answer; past the queue limit a write is refused at once. To hold a batch in
 * flight for as long as a test needs, the test locks one member's account row and sends a write
 * of that member: its batch waits inside PostgreSQL until the test lets go.
 */
@QuarkusTest
@TestProfile(WriteBatchingTest.SmallQueue.class)
class WriteBatchingTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final int QUEUE_LIMIT = 4;

    public static class SmallQueue implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("points-ledger.batching.queue-limit", Integer.toString(QUEUE_LIMIT));
        }
    }

    @Inject
    LedgerService ledger;

    @Inject
    WriteBatcher batcher;

    @Inject
    HoldService holds;

    @Inject
    MeterRegistry registry;

    @Inject
    Pool pool;

    private static EarnRequest earn(long points) {
        return new EarnRequest("order", new Money(100L, "USD"), null, SalesChannel.POS, points, null);
    }

    private static RedeemRequest redeem(long points) {
        return new RedeemRequest(points, "order", SalesChannel.POS);
    }

    /** A write's answer as a status (with " replayed") or an error code. */
    private static CompletableFuture<String> answer(Uni<? extends Posted<?>> write) {
        return write.map(posted -> posted.status() + (posted.replayed() ? " replayed" : ""))
                .onFailure(ProblemException.class).recoverWithItem(failure -> ((ProblemException) failure).code().name())
                .subscribeAsCompletionStage();
    }

    private double queueDepth() {
        return registry.get("ledger.write.queue.depth").gauge().value();
    }

    /** A batch held in flight: one earn of a member whose account row this test keeps locked until close. */
    private final class BatchInFlight implements AutoCloseable {

        private final SqlConnection connection;
        private final Transaction transaction;
        private final CompletableFuture<String> blocked;

        BatchInFlight() {
            UUID memberId = LedgerApi.enroll();
            connection = pool.getConnection().await().atMost(TIMEOUT);
            transaction = connection.begin().await().atMost(TIMEOUT);
            connection.preparedQuery("SELECT 1 FROM member_accounts WHERE member_id = $1 FOR UPDATE")
                    .execute(Tuple.of(memberId)).await().atMost(TIMEOUT);
            blocked = answer(ledger.earn(Caller.OPERATOR, memberId, "in-flight-" + memberId, earn(1)));
        }

        @Override
        public void close() {
            try {
                transaction.rollback().await().atMost(TIMEOUT);
            } finally {
                connection.close().await().atMost(TIMEOUT);
            }
            assertEquals("201", blocked.join(), "the batch held in flight commits once the lock is gone");
        }
    }

    /**
     * Submits the writes while a batch is in flight, so that they wait together, then lets that
     * batch return: the writes go in the next batch, all of them, and each answers on its own.
     */
    private List<String> inOneBatch(List<Uni<? extends Posted<?>>> writes) {
        double batchesBefore = registry.summary("ledger.write.batch.size").count();
        double writesBefore = registry.summary("ledger.write.batch.size").totalAmount();
        List<CompletableFuture<String>> answers = new ArrayList<>();
        try (BatchInFlight inFlight = new BatchInFlight()) {
            writes.forEach(write -> answers.add(answer(write)));
            assertEquals(writes.size(), queueDepth(), "every write waits for the batch in flight");
        }
        List<String> results = answers.stream().map(CompletableFuture::join).toList();
        assertEquals(batchesBefore + 2, registry.summary("ledger.write.batch.size").count(),
                "the batch held in flight, then one batch with every write that waited");
        assertEquals(writesBefore + 1 + writes.size(), registry.summary("ledger.write.batch.size").totalAmount());
        assertEquals(0, queueDepth());
        return results;
    }

    @Test
    void shouldSendALoneWriteAtOnceWithoutWaitingForCompany() {
        double batchesBefore = registry.summary("ledger.write.batch.size").count();

        // Nothing is in flight, so the write leaves as it is submitted: its batch is counted and
        // the queue is empty before the write could have waited for anything.
        try (BatchInFlight inFlight = new BatchInFlight()) {
            assertEquals(batchesBefore + 1, registry.summary("ledger.write.batch.size").count());
            assertEquals(0, queueDepth());
        }
    }

    @Test
    void shouldCountTheWritePathBusyOnlyWhileWritesArriveSeveralToARoundTrip() {
        UUID memberId = LedgerApi.enroll();
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                .until(() -> !batcher.busyWithin(java.time.Duration.ofMillis(300)));

        BatchInFlight inFlight = new BatchInFlight();
        CompletableFuture<String> waiting = answer(ledger.earn(Caller.OPERATOR, memberId, "waiting-" + memberId, earn(1)));
        boolean busyWhileWaiting = batcher.busyWithin(java.time.Duration.ofMillis(300));
        inFlight.close();
        assertEquals("201", waiting.join());
        assertEquals(true, busyWhileWaiting, "a write waits for the batch in flight, however long it takes");
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                .until(() -> !batcher.busyWithin(java.time.Duration.ofMillis(300)));
        inOneBatch(java.util.stream.IntStream.range(0, WriteBatcher.BUSY_BATCH_SIZE - 1).<Uni<? extends Posted<?>>>mapToObj(index ->
                ledger.earn(Caller.OPERATOR, memberId, "few-" + index + "-" + memberId, earn(1))).toList());
        assertEquals(false, batcher.busyWithin(java.time.Duration.ofMillis(300)), "a few writes meeting by chance, none waiting now");

        inOneBatch(java.util.stream.IntStream.range(0, WriteBatcher.BUSY_BATCH_SIZE).<Uni<? extends Posted<?>>>mapToObj(index ->
                ledger.earn(Caller.OPERATOR, memberId, "many-" + index + "-" + memberId, earn(1))).toList());
        assertEquals(true, batcher.busyWithin(java.time.Duration.ofSeconds(5)),
                "writes arriving several to a round trip: background work gives way");
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
        assertEquals(6, ledger.balance(memberId).await().atMost(TIMEOUT).posted());
    }

    @Test
    void shouldLetExactlyOneOfConcurrentCapturesOfAHoldWinInOneBatch() {
        UUID memberId = LedgerApi.enrollWithPoints(1_000);
        UUID holdId = UUID.fromString(Holds.holdId(memberId, 400));

        List<String> answers = inOneBatch(List.of(
                holds.capture(Caller.OPERATOR, holdId, "capture-1-" + holdId, new CaptureRequest(null)),
                holds.capture(Caller.OPERATOR, holdId, "capture-2-" + holdId, new CaptureRequest(null)),
                holds.capture(Caller.OPERATOR, holdId, "capture-3-" + holdId, new CaptureRequest(100L))));

        assertEquals(List.of("200", "HOLD_NOT_PENDING", "HOLD_NOT_PENDING"), answers);
        var account = Database.account(pool, memberId);
        assertEquals(600, account.getLong("posted"));
        assertEquals(0, account.getLong("held"));
        LedgerApi.assertReconciles();
    }

    @Test
    void shouldApplyAVoidBeforeTheRedeemThatArrivedAfterItInTheSameBatch() {
        UUID memberId = LedgerApi.enrollWithPoints(100);
        UUID holdId = UUID.fromString(Holds.holdId(memberId, 100));

        // Nothing is available until the void releases the hold: the redeem succeeds only if it
        // applies after the void, in arrival order, although the void names no member.
        List<String> answers = inOneBatch(List.of(
                holds.voidHold(Caller.OPERATOR, holdId, "void-" + holdId),
                ledger.redeem(Caller.OPERATOR, memberId, "after-void-" + holdId, redeem(100)),
                ledger.redeem(Caller.OPERATOR, memberId, "one-more-" + holdId, redeem(1))));

        assertEquals(List.of("200", "201", "INSUFFICIENT_POINTS"), answers);
        assertEquals(0, LedgerApi.available(memberId));
        LedgerApi.assertReconciles();
    }

    @Test
    void shouldBatchAReversalWithEarnsOfTheSameMemberInArrivalOrder() {
        UUID memberId = LedgerApi.enroll();
        UUID earned = ledger.earn(Caller.OPERATOR, memberId, "to-reverse-" + memberId, earn(100))
                .await().atMost(TIMEOUT).receipt().transactionId();
        ReverseRequest returned = new ReverseRequest(null, "Item returned");

        // Applied out of order (reversals last), the redeem would spend the 100 points and the
        // reversal would leave the member at -70.
        List<String> answers = inOneBatch(List.of(
                ledger.reverse(Caller.OPERATOR, earned, "return-" + earned, returned),
                ledger.redeem(Caller.OPERATOR, memberId, "spend-" + earned, redeem(100)),
                ledger.reverse(Caller.OPERATOR, earned, "return-again-" + earned, returned),
                ledger.earn(Caller.OPERATOR, memberId, "earn-after-" + earned, earn(30))));

        assertEquals(List.of("201", "INSUFFICIENT_POINTS", "REVERSAL_EXCEEDS_ORIGINAL", "201"), answers);
        assertEquals(30, LedgerApi.available(memberId));
        LedgerApi.assertReconciles();
    }

    @Test
    void shouldRefuseAWriteAtOnceWith503WhenTheQueueIsFullAndApplyItOnRetry() {
        UUID memberId = LedgerApi.enroll();
        double refusalsBefore = registry.counter("ledger.write.queue.refusals").count();
        List<CompletableFuture<String>> queued = new ArrayList<>();
        try (BatchInFlight inFlight = new BatchInFlight()) {
            for (int index = 0; index < QUEUE_LIMIT; index++) {
                queued.add(answer(ledger.earn(Caller.OPERATOR, memberId, "queued-" + index + "-" + memberId, earn(1))));
            }
            assertEquals(QUEUE_LIMIT, queueDepth());

            Response refused = earnPoints(memberId, "refused-" + memberId, 50);

            assertProblem(refused, 503, "SERVICE_UNAVAILABLE", null);
            refused.then().header("Retry-After", "2");
            assertEquals(refusalsBefore + 1, registry.counter("ledger.write.queue.refusals").count());
            assertEquals(QUEUE_LIMIT, queueDepth(), "a refused write takes no place in the queue");
        }
        queued.forEach(answer -> assertEquals("201", answer.join()));
        assertEquals(QUEUE_LIMIT, Database.transferCount(pool, memberId), "the refused write changed nothing");

        earnPoints(memberId, "refused-" + memberId, 50).then().statusCode(201).header("Idempotent-Replayed", nullValue());
        assertEquals(QUEUE_LIMIT + 50, LedgerApi.available(memberId));
        LedgerApi.assertReconciles();
    }
}
