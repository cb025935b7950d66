package io.pointsledger.ledger;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pointsledger.support.Database;
import io.pointsledger.support.LedgerApi;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every kind of write goes through the same apply step, and a batch gives each write the answer
 * it gets alone: the same script of writes of every kind (with refusals, a replay and a reused
 * key) applied one write per batch for one member and as two batches, interleaved with a
 * neighbour's, for another, must answer the same and leave the same ledger.
 */
@QuarkusTest
class EveryKindInOneBatchTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Duration KEY_RETENTION = Duration.ofHours(24);
    /** Lot and hold dates from one reading of the clock, so that every member's script carries the same. */
    private static final Instant TODAY = Instant.now().truncatedTo(ChronoUnit.DAYS);

    @Inject
    LedgerWriter writer;

    @Inject
    Pool pool;

    private static OffsetDateTime day(int days) {
        return OffsetDateTime.ofInstant(TODAY.plus(days, ChronoUnit.DAYS), ZoneOffset.UTC);
    }

    private static Posting posting(UUID memberId, UUID targetId, String key, TransferKind kind, PostingFields fields) {
        byte[] fingerprint = (kind + fields.toString() + targetId).getBytes(StandardCharsets.UTF_8);
        return new Posting("operator", true, null, key, fingerprint, null, kind, memberId, targetId, fields);
    }

    private static Posting earn(UUID memberId, String key, Long points, long amount, int lotDays) {
        return posting(memberId, null, key, TransferKind.EARN, PostingFields.earn(points, amount, "USD", "POS", "order-" + key,
                null, List.of(new LineItem("sku-" + amount, null, 1, amount)), day(lotDays)));
    }

    private static Posting redeem(UUID memberId, String key, long points) {
        return posting(memberId, null, key, TransferKind.REDEEM, PostingFields.redeem(points, "ONLINE", "order-" + key));
    }

    private static Posting hold(UUID memberId, String key, long points) {
        return posting(memberId, null, key, TransferKind.HOLD, PostingFields.hold(points, "ONLINE", "order-" + key, day(2)));
    }

    private static Posting adjust(UUID memberId, String key, long points) {
        return posting(memberId, null, key, TransferKind.ADJUSTMENT, PostingFields.adjustment(points, "correction", true, day(30)));
    }

    private static Posting capture(UUID holdId, String key, Long points) {
        return posting(null, holdId, key, TransferKind.CAPTURE, PostingFields.capture(points));
    }

    private static Posting voidHold(UUID holdId, String key) {
        return posting(null, holdId, key, TransferKind.VOID, PostingFields.voiding());
    }

    private static Posting reverse(UUID transferId, String key, Long points) {
        return posting(null, transferId, key, TransferKind.REVERSAL, PostingFields.reversal(points, "returned", day(45)));
    }

    /** A debt the first earn repays, earns into lots of different dates, redeems spanning lots, holds, a refusal. */
    private static List<Posting> firstScript(UUID memberId, Function<String, String> key) {
        return List.of(
                adjust(memberId, key.apply("debt"), -25),
                earn(memberId, key.apply("earn-1"), null, 12_345, 60),
                earn(memberId, key.apply("earn-2"), 40L, 100, 10),
                redeem(memberId, key.apply("redeem-1"), 100),
                hold(memberId, key.apply("hold-1"), 30),
                hold(memberId, key.apply("hold-2"), 5),
                redeem(memberId, key.apply("redeem-2"), 1_000),
                earn(memberId, key.apply("earn-1"), null, 12_345, 60),
                earn(memberId, key.apply("earn-2"), 41L, 100, 10),
                earn(memberId, key.apply("earn-3"), 1L, 1, 400));
    }

    /** Every kind that names a hold or a transfer of the first script, refusals among them, and more of the rest. */
    private static List<Posting> secondScript(UUID memberId, Function<String, String> key, List<PostingResult> first) {
        UUID earn1 = id(first.get(1), "transactionId");
        UUID redeem1 = id(first.get(3), "transactionId");
        UUID hold1 = id(first.get(4), "holdId");
        UUID hold2 = id(first.get(5), "holdId");
        return List.of(
                capture(hold1, key.apply("capture-1"), 20L),
                capture(hold1, key.apply("capture-again"), null),
                voidHold(hold2, key.apply("void-2")),
                reverse(redeem1, key.apply("refund-1"), 60L),
                reverse(redeem1, key.apply("refund-2"), null),
                reverse(redeem1, key.apply("refund-3"), null),
                reverse(earn1, key.apply("return-1"), 10L),
                reverse(hold1, key.apply("return-hold"), null),
                voidHold(earn1, key.apply("void-an-earn")),
                adjust(memberId, key.apply("bonus"), 7),
                redeem(memberId, key.apply("redeem-3"), 13),
                capture(hold1, key.apply("capture-1"), 20L),
                reverse(earn1, key.apply("return-1"), 11L));
    }

    private static UUID id(PostingResult result, String field) {
        return UUID.fromString(result.receipt().getString(field));
    }

    private List<PostingResult> write(List<Posting> postings) {
        return writer.write(postings, KEY_RETENTION, OffsetDateTime.now(ZoneOffset.UTC)).await().atMost(TIMEOUT);
    }

    private List<PostingResult> oneByOne(List<Posting> postings) {
        List<PostingResult> results = new ArrayList<>();
        postings.forEach(posting -> results.addAll(write(List.of(posting))));
        return results;
    }

    /** One batch with the member's writes at even positions and the neighbour's at odd ones; the answers of each. */
    private List<List<PostingResult>> interleaved(List<Posting> mine, List<Posting> theirs) {
        List<Posting> batch = new ArrayList<>();
        for (int index = 0; index < mine.size(); index++) {
            batch.add(mine.get(index));
            batch.add(theirs.get(index));
        }
        List<PostingResult> results = write(batch);
        List<List<PostingResult>> split = List.of(new ArrayList<>(), new ArrayList<>());
        for (int index = 0; index < results.size(); index++) {
            split.get(index % 2).add(results.get(index));
        }
        return split;
    }

    @Test
    void shouldAnswerAndRecordEveryKindInABatchAsItDoesAlone() {
        UUID reference = LedgerApi.enroll();
        UUID batched = LedgerApi.enroll();
        UUID neighbour = LedgerApi.enroll();

        List<PostingResult> expectedFirst = oneByOne(firstScript(reference, name -> name + "-" + reference));
        List<PostingResult> expectedSecond = oneByOne(secondScript(reference, name -> name + "-" + reference, expectedFirst));
        List<List<PostingResult>> first = interleaved(firstScript(batched, name -> name + "-" + batched),
                firstScript(neighbour, name -> name + "-" + neighbour));
        List<PostingResult> actualFirst = first.get(0);
        List<PostingResult> actualSecond = interleaved(secondScript(batched, name -> name + "-" + batched, actualFirst),
                secondScript(neighbour, name -> name + "-" + neighbour, first.get(1))).get(0);

        assertSameAnswers(expectedFirst, reference, actualFirst, batched);
        assertSameAnswers(expectedSecond, reference, actualSecond, batched);
        assertEquals(ledgerOf(reference), ledgerOf(batched));
        Set<TransferKind> written = transferKinds(batched);
        assertEquals(EnumSet.of(TransferKind.EARN, TransferKind.REDEEM, TransferKind.HOLD, TransferKind.CAPTURE,
                TransferKind.VOID, TransferKind.REVERSAL, TransferKind.ADJUSTMENT), written, "every kind a request can write");
        Set<PostingOutcome> outcomes = Stream.concat(actualFirst.stream(), actualSecond.stream())
                .map(PostingResult::outcome).collect(Collectors.toSet());
        assertTrue(outcomes.containsAll(EnumSet.of(PostingOutcome.APPLIED, PostingOutcome.REPLAYED,
                PostingOutcome.IDEMPOTENCY_KEY_REUSED, PostingOutcome.INSUFFICIENT_POINTS, PostingOutcome.HOLD_NOT_PENDING,
                PostingOutcome.HOLD_NOT_FOUND, PostingOutcome.TRANSFER_NOT_REVERSIBLE, PostingOutcome.REVERSAL_EXCEEDS_ORIGINAL)),
                "outcomes seen: " + outcomes);
        LedgerApi.assertReconciles();
    }

    private static void assertSameAnswers(List<PostingResult> expected, UUID reference, List<PostingResult> actual, UUID batched) {
        assertEquals(expected.size(), actual.size());
        for (int index = 0; index < expected.size(); index++) {
            assertEquals(comparable(expected.get(index), reference), comparable(actual.get(index), batched), "write " + index);
        }
    }

    /** An answer with the ids that necessarily differ between members taken out. */
    private static String comparable(PostingResult result, UUID memberId) {
        Map<String, Object> receipt = result.receipt() == null ? null : new TreeMap<>(result.receipt().getMap());
        if (receipt != null) {
            receipt.remove("transactionId");
            receipt.remove("holdId");
            receipt.remove("relatedTransactionId");
        }
        // Field order aside: a stored answer comes back in jsonb's order.
        return (result.outcome() + " " + result.status() + " " + receipt + " " + result.account())
                .replace(memberId.toString(), "member");
    }

    private Set<TransferKind> transferKinds(UUID memberId) {
        Set<TransferKind> kinds = EnumSet.noneOf(TransferKind.class);
        pool.preparedQuery("SELECT DISTINCT kind FROM transfers WHERE member_id = $1").execute(Tuple.of(memberId))
                .await().atMost(TIMEOUT).forEach(row -> kinds.add(TransferKind.valueOf(row.getString("kind"))));
        return kinds;
    }

    /**
     * What the database holds for a member, ids and clock readings left out, in ledger order. Not
     * the outbox: the relay publishes and deletes its rows meanwhile.
     */
    private List<String> ledgerOf(UUID memberId) {
        List<String> rows = new ArrayList<>();
        String[] queries = {
            """
            SELECT t.kind, t.points, t.posted_delta, t.held_delta, t.channel, t.amount_minor_units, t.currency,
                   t.metadata::text, t.reason, t.idempotency_key IS NOT NULL, t.related_transfer_id IS NOT NULL
              FROM transfers t WHERE t.member_id = $1 ORDER BY t.sequence""",
            """
            SELECT l.expires_at::text, l.remaining, t.kind, t.points
              FROM point_lots l JOIN transfers t ON t.transfer_id = l.source_transfer_id
             WHERE l.member_id = $1 ORDER BY l.lot_id""",
            """
            SELECT t.kind, t.points, m.points, l.expires_at::text
              FROM lot_movements m JOIN transfers t ON t.transfer_id = m.transfer_id JOIN point_lots l ON l.lot_id = m.lot_id
             WHERE t.member_id = $1 ORDER BY t.sequence, l.expires_at""",
            """
            SELECT h.points, h.status, h.captured_points, h.channel, h.expires_at::text FROM holds h
             WHERE h.member_id = $1 ORDER BY h.points""",
            """
            SELECT posted, held, version, tier FROM member_accounts WHERE member_id = $1"""
        };
        for (String query : queries) {
            for (Row row : pool.preparedQuery(query).execute(Tuple.of(memberId)).await().atMost(TIMEOUT)) {
                rows.add(row.toJson().encode().replace(memberId.toString(), "member"));
            }
        }
        return rows;
    }

    @Test
    void shouldFailOnlyTheWriteThatCannotBeDecidedAndApplyItsNeighbours() {
        UUID broken = LedgerApi.enroll();
        UUID neighbour = LedgerApi.enroll();
        // An account whose balance no lot backs: a redeem of it cannot be decided without breaking the lots.
        Database.execute(pool, "UPDATE member_accounts SET posted = 100 WHERE member_id = $1", broken);
        try {
            List<PostingResult> results = write(List.of(redeem(broken, "broken-" + broken, 50),
                    earn(neighbour, "neighbour-" + neighbour, 10L, 100, 30)));

            assertEquals(List.of(PostingOutcome.FAILED, PostingOutcome.APPLIED),
                    results.stream().map(PostingResult::outcome).toList());
            assertEquals(0, Database.transferCount(pool, broken), "nothing written for the write that failed");
            assertEquals(10, Database.account(pool, neighbour).getLong("posted"));
        } finally {
            Database.execute(pool, "UPDATE member_accounts SET posted = 0 WHERE member_id = $1", broken);
        }
        LedgerApi.assertReconciles();
    }

    @Test
    void shouldDecideTheBatchAgainWhenAnotherTransactionTakesOneOfItsKeysMeanwhile() {
        UUID first = LedgerApi.enroll();
        UUID second = LedgerApi.enroll();
        String contested = "contested-" + UUID.randomUUID();

        // Another transaction holds the key, not yet committed, when the batch stores its answers.
        SqlConnection connection = pool.getConnection().await().atMost(TIMEOUT);
        try {
            connection.query("BEGIN").execute().await().atMost(TIMEOUT);
            connection.preparedQuery("""
                    INSERT INTO idempotency_keys (partner_id, idempotency_key, member_id, request_fingerprint,
                                                  response_status, response_body, expires_at)
                    VALUES ('operator', $1, $3, $2, 201, '{}', now() + interval '1 day')""")
                    .execute(Tuple.of(contested, Buffer.buffer("another request"), second))
                    .await().atMost(TIMEOUT);

            CompletableFuture<List<PostingResult>> batch = writer.write(List.of(
                            earn(first, "first-1-" + first, 10L, 100, 30),
                            earn(second, "second-1-" + second, 20L, 100, 30),
                            earn(second, contested, 21L, 100, 30),
                            earn(first, "first-2-" + first, 11L, 100, 30)),
                    KEY_RETENTION, OffsetDateTime.now(ZoneOffset.UTC)).subscribe().asCompletionStage().toCompletableFuture();
            awaitBatchWaitingForTheKey();
            connection.query("COMMIT").execute().await().atMost(TIMEOUT);

            List<PostingResult> results = batch.join();
            assertEquals(List.of(PostingOutcome.APPLIED, PostingOutcome.APPLIED, PostingOutcome.IDEMPOTENCY_KEY_REUSED,
                    PostingOutcome.APPLIED), results.stream().map(PostingResult::outcome).toList());
        } finally {
            // Back to the pool outside any transaction, whatever failed above.
            connection.query("ROLLBACK").execute().onFailure().recoverWithNull().await().atMost(TIMEOUT);
            connection.close().await().atMost(TIMEOUT);
        }
        assertEquals(2, Database.transferCount(pool, first));
        assertEquals(1, Database.transferCount(pool, second), "the contested write applied nothing");
        assertEquals(20, Database.account(pool, second).getLong("posted"));
        LedgerApi.assertReconciles();
    }

    /**
     * Until the batch's apply statement waits on a lock: the uncommitted key of the other
     * transaction (matched by the statement's start: pg_stat_activity keeps its first kilobyte only).
     */
    private void awaitBatchWaitingForTheKey() {
        await("the batch waiting for the contested key").atMost(TIMEOUT).pollInterval(Duration.ofMillis(20))
                .until(() -> Database.single(pool, """
                        SELECT count(*) FROM pg_stat_activity
                         WHERE wait_event_type = 'Lock' AND query LIKE 'WITH transfers_written AS%'""").getLong(0) > 0);
    }
}
