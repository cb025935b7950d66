package io.pointsledger.ledger;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pointsledger.program.ProgramConfig;
import io.pointsledger.support.Database;
import io.pointsledger.support.LedgerApi;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
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
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * ledger_post_batch applies earns, redeems and holds set-based, a round of statements per batch
 * instead of a ledger_post call per write. ledger_post is the reference: the same writes must get
 * the same answers and leave the same ledger, and a round that cannot be applied set-based must be
 * applied write by write without losing or doubling anything.
 */
@QuarkusTest
class SetBasedBatchTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Duration KEY_RETENTION = Duration.ofHours(24);

    @Inject
    LedgerRepository repository;

    @Inject
    ProgramConfig program;

    @Inject
    Pool pool;

    /** Lot and hold dates from one reading of the clock, so that both members' scripts carry the same. */
    private static final Instant TODAY = Instant.now().truncatedTo(ChronoUnit.DAYS);

    private OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC);
    }

    private static Posting posting(UUID memberId, String key, TransferKind kind, JsonObject fields) {
        byte[] fingerprint = (kind + fields.encode()).getBytes(StandardCharsets.UTF_8);
        return new Posting("operator", true, key, fingerprint, kind, memberId, null, fields);
    }

    private static Posting earn(UUID memberId, String key, Long points, long amount, int lotDays) {
        return posting(memberId, key, TransferKind.EARN, new JsonObject()
                .put("points", points).put("amount", amount).put("currency", "USD").put("channel", "POS")
                .put("orderId", "order-" + key).put("occurredAt", null)
                .put("items", new JsonArray().add(new JsonObject().put("sku", "sku-" + amount).put("quantity", 1)
                        .put("unitPrice", amount)))
                .put("lotExpiresAt", TODAY.plus(lotDays, ChronoUnit.DAYS).toString()));
    }

    private static Posting redeem(UUID memberId, String key, long points) {
        return posting(memberId, key, TransferKind.REDEEM, new JsonObject()
                .put("points", points).put("channel", "ONLINE").put("orderId", "order-" + key));
    }

    private static Posting hold(UUID memberId, String key, long points) {
        return posting(memberId, key, TransferKind.HOLD, new JsonObject()
                .put("points", points).put("channel", "ONLINE").put("orderId", "order-" + key)
                .put("holdExpiresAt", TODAY.plus(2, ChronoUnit.DAYS).toString()));
    }

    private static Posting adjust(UUID memberId, String key, long points) {
        return posting(memberId, key, TransferKind.ADJUSTMENT, new JsonObject()
                .put("points", points).put("reason", "opening debt").put("allowNegative", true)
                .put("lotExpiresAt", TODAY.plus(30, ChronoUnit.DAYS).toString()));
    }

    /**
     * One member's writes: a debt the first earn repays, earns into lots of different dates,
     * redeems spanning lots, a hold, a refusal, a replay and a reused key. {@code key} makes the
     * keys unique per member but alike in shape, so the two members' answers can be compared.
     */
    private static List<Posting> script(UUID memberId, Function<String, String> key) {
        return List.of(
                earn(memberId, key.apply("earn-1"), null, 12_345, 60),
                earn(memberId, key.apply("earn-2"), 40L, 100, 10),
                redeem(memberId, key.apply("redeem-1"), 100),
                hold(memberId, key.apply("hold-1"), 30),
                redeem(memberId, key.apply("redeem-2"), 1_000),
                earn(memberId, key.apply("earn-1"), null, 12_345, 60),
                earn(memberId, key.apply("earn-2"), 41L, 100, 10),
                earn(memberId, key.apply("earn-3"), 1L, 1, 400),
                redeem(memberId, key.apply("redeem-3"), 13));
    }

    private PostingResult alone(Posting posting) {
        return repository.post(posting, LedgerRules.of(program), KEY_RETENTION, now()).await().atMost(TIMEOUT);
    }

    private List<PostingResult> together(List<Posting> postings) {
        return repository.postBatch(postings, LedgerRules.of(program), KEY_RETENTION, now()).await().atMost(TIMEOUT);
    }

    /** An answer with the ids that necessarily differ between members taken out. */
    private static String comparable(PostingResult result, UUID memberId) {
        JsonObject receipt = result.receipt() == null ? null : result.receipt().copy();
        if (receipt != null) {
            receipt.remove("transactionId");
            receipt.remove("holdId");
        }
        return (result.outcome() + " " + result.status() + " " + receipt + " " + result.account())
                .replace(memberId.toString(), "member");
    }

    /**
     * What the database holds for a member, ids and clock readings left out, in ledger order. Not
     * the outbox: the relay publishes and deletes its rows meanwhile (the tier and recommendation
     * tests consume the events batched writes publish).
     */
    private List<String> ledgerOf(UUID memberId) {
        List<String> rows = new ArrayList<>();
        String[] queries = {
            """
            SELECT t.kind, t.points, t.posted_delta, t.held_delta, t.channel, t.amount_minor_units, t.currency,
                   t.metadata::text, t.idempotency_key IS NOT NULL
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
            SELECT h.points, h.status, h.channel, h.expires_at::text FROM holds h WHERE h.member_id = $1""",
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
    void shouldAnswerAndRecordEveryWriteAsTheOneByOneWritePathDoes() {
        UUID reference = LedgerApi.enroll();
        UUID batched = LedgerApi.enroll();
        UUID neighbour = LedgerApi.enroll();
        alone(adjust(reference, "debt-" + reference, -25));
        alone(adjust(batched, "debt-" + batched, -25));

        List<PostingResult> expected = new ArrayList<>();
        for (Posting posting : script(reference, name -> name + "-" + reference)) {
            expected.add(alone(posting));
        }
        // The neighbour's writes interleave with the member's, so rounds hold writes of both.
        List<Posting> batch = new ArrayList<>();
        List<Posting> mine = script(batched, name -> name + "-" + batched);
        List<Posting> theirs = script(neighbour, name -> name + "-" + neighbour);
        for (int index = 0; index < mine.size(); index++) {
            batch.add(mine.get(index));
            batch.add(theirs.get(index));
        }
        List<PostingResult> actual = together(batch);

        for (int index = 0; index < expected.size(); index++) {
            assertEquals(comparable(expected.get(index), reference), comparable(actual.get(2 * index), batched),
                    "write " + index + " of the script");
        }
        assertEquals(ledgerOf(reference), ledgerOf(batched));
        assertTrue(actual.stream().anyMatch(result -> result.outcome() == PostingOutcome.INSUFFICIENT_POINTS));
        assertTrue(actual.stream().anyMatch(result -> result.outcome() == PostingOutcome.REPLAYED));
        assertTrue(actual.stream().anyMatch(result -> result.outcome() == PostingOutcome.IDEMPOTENCY_KEY_REUSED));
        LedgerApi.assertReconciles();
    }

    @Test
    void shouldApplyARoundWriteByWriteWhenItsKeyIsTakenMeanwhileAndKeepTheRoundsBefore() {
        UUID first = LedgerApi.enroll();
        UUID second = LedgerApi.enroll();
        UUID other = LedgerApi.enroll();
        String contested = "contested-" + UUID.randomUUID();

        // Another write holds the key, not yet committed, when the batch's second round stores its answers.
        SqlConnection connection = pool.getConnection().await().atMost(TIMEOUT);
        try {
            connection.query("BEGIN").execute().await().atMost(TIMEOUT);
            Posting holder = earn(other, contested, 7L, 100, 30);
            connection.preparedQuery("SELECT outcome FROM ledger_post($1, true, $2, $3, $4, 'EARN', $5, NULL, $6, $7, $8)")
                    .execute(Tuple.tuple().addString(holder.partnerId()).addString(contested)
                            .addValue(Buffer.buffer(holder.fingerprint()))
                            .addLong(KEY_RETENTION.toSeconds()).addUUID(other).addOffsetDateTime(now())
                            .addValue(holder.request()).addValue(LedgerRules.of(program)))
                    .await().atMost(TIMEOUT);

            CompletableFuture<List<PostingResult>> batch = repository.postBatch(List.of(
                            earn(first, "first-1-" + first, 10L, 100, 30),
                            earn(second, "second-1-" + second, 20L, 100, 30),
                            earn(second, contested, 21L, 100, 30),
                            earn(first, "first-2-" + first, 11L, 100, 30)),
                    LedgerRules.of(program), KEY_RETENTION, now()).subscribe().asCompletionStage().toCompletableFuture();
            awaitBatchWaitingForTheKey();
            connection.query("COMMIT").execute().await().atMost(TIMEOUT);

            List<PostingResult> results = batch.join();
            assertEquals(List.of(PostingOutcome.APPLIED, PostingOutcome.APPLIED, PostingOutcome.IDEMPOTENCY_KEY_REUSED,
                    PostingOutcome.APPLIED), results.stream().map(PostingResult::outcome).toList());
        } finally {
            connection.close().await().atMost(TIMEOUT);
        }
        assertEquals(2, Database.transferCount(pool, first));
        assertEquals(1, Database.transferCount(pool, second), "the contested write applied nothing");
        assertEquals(20, Database.account(pool, second).getLong("posted"));
        assertEquals(1, Database.transferCount(pool, other));
        LedgerApi.assertReconciles();
    }

    /** Until a ledger_post_batch call waits on a lock: the uncommitted key of the other write. */
    private void awaitBatchWaitingForTheKey() {
        await("the batch waiting for the contested key").atMost(TIMEOUT).pollInterval(Duration.ofMillis(20))
                .until(() -> Database.single(pool, """
                        SELECT count(*) FROM pg_stat_activity
                         WHERE wait_event_type = 'Lock' AND query LIKE '%ledger_post_batch%'""").getLong(0) > 0);
    }
}
