package io.pointsledger.coupons;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/** All SQL about coupons. A code's every change is one statement on its row, under its lock. */
@ApplicationScoped
class CouponRepository {

    private static final String DEFINITION_COLUMNS = "definition_id, sequence, definition, created_at";

    /** A code with its definition; the definition's JSON as text, read by {@link #stored}. */
    private static final String COUPON_COLUMNS = """
            c.code, c.sequence, c.definition_id, c.member_id, c.status, c.issued_at, c.held_by_member, c.held_order_id,
            c.held_until, c.redeemed_at, c.redeemed_by_member, c.redeemed_by, c.redeem_key, c.redeem_answer::text AS answer,
            d.definition::text AS definition""";

    private static final String INSERT_DEFINITION = """
            INSERT INTO coupon_definitions (definition_id, definition, created_by) VALUES ($1, $2::text::jsonb, $3)
            RETURNING %s""".formatted(DEFINITION_COLUMNS);

    private static final String FIND_DEFINITION = "SELECT " + DEFINITION_COLUMNS + " FROM coupon_definitions WHERE definition_id = $1";

    private static final String DEFINITIONS = """
            SELECT %s FROM coupon_definitions WHERE sequence < $1 ORDER BY sequence DESC LIMIT $2""".formatted(DEFINITION_COLUMNS);

    /**
     * One code; to a member, with its COUPON_ISSUED notice in the same statement (the notification
     * channel tells the member). An existing code inserts nothing and returns no row.
     */
    private static final String ISSUE = """
            WITH coupon AS (
                INSERT INTO coupons (code, definition_id, member_id) VALUES ($1, $2, $3)
                ON CONFLICT (code) DO NOTHING
                RETURNING *
            ), notice AS (
                INSERT INTO outbox (event_id, member_id, event_type, payload)
                SELECT gen_random_uuid(), c.member_id, 'COUPON_ISSUED', jsonb_build_object(
                           'schemaVersion', 1, 'eventType', 'COUPON_ISSUED', 'memberId', c.member_id, 'code', c.code,
                           'definitionId', c.definition_id, 'name', d.definition ->> 'name', 'kind', d.definition ->> 'kind',
                           'validUntil', d.definition ->> 'validUntil', 'issuedAt', c.issued_at)
                  FROM coupon c JOIN coupon_definitions d USING (definition_id)
                 WHERE c.member_id IS NOT NULL
            )
            SELECT %s FROM coupon c JOIN coupon_definitions d USING (definition_id)""".formatted(COUPON_COLUMNS);

    /**
     * Records that the campaign rewarded the member's occasion; no row when it did before. The
     * same record the write path keeps for points granted once per occasion.
     */
    private static final String CLAIM_OCCASION = """
            INSERT INTO campaign_occasions (member_id, campaign_id, occasion) VALUES ($1, $2, $3)
            ON CONFLICT DO NOTHING RETURNING member_id""";

    private static final String FIND = """
            SELECT %s FROM coupons c JOIN coupon_definitions d USING (definition_id) WHERE c.code = $1""".formatted(COUPON_COLUMNS);

    /** The code, locked until the transaction ends: its uses are taken one at a time. */
    private static final String LOCK = FIND + " FOR UPDATE OF c";

    /**
     * The member's account, locked: a member's redemptions are taken one at a time, so that two
     * codes of one definition cannot both pass its per-member limit. The ledger's writes lock the
     * same row first too, so the two never deadlock.
     */
    private static final String LOCK_MEMBER = "SELECT member_id FROM member_accounts WHERE member_id = $1 FOR UPDATE";

    private static final String MEMBER_EXISTS = "SELECT 1 FROM member_accounts WHERE member_id = $1";

    private static final String REDEEMED_BY_MEMBER = """
            SELECT count(*) AS redeemed FROM coupons
             WHERE redeemed_by_member = $1 AND definition_id = $2 AND status = 'REDEEMED'""";

    private static final String REDEEM = """
            WITH redeemed AS (
                UPDATE coupons SET status = 'REDEEMED', redeemed_at = $2, redeemed_by_member = $3, redeemed_order_id = $4,
                                   redeemed_by = $5, redeem_key = $6, redeem_answer = $7::text::jsonb, points_due = $8,
                                   held_by_member = NULL, held_order_id = NULL, held_by = NULL, held_until = NULL
                 WHERE code = $1
                RETURNING *
            ), event AS (
                INSERT INTO outbox (event_id, member_id, event_type, payload)
                SELECT gen_random_uuid(), r.redeemed_by_member, 'COUPON_REDEEMED', jsonb_build_object(
                           'schemaVersion', 1, 'eventType', 'COUPON_REDEEMED', 'memberId', r.redeemed_by_member,
                           'code', r.code, 'definitionId', r.definition_id, 'orderId', r.redeemed_order_id,
                           'partnerId', r.redeemed_by, 'redemption', r.redeem_answer, 'redeemedAt', r.redeemed_at)
                  FROM redeemed r
            )
            SELECT code FROM redeemed""";

    private static final String HOLD = """
            UPDATE coupons SET status = 'HELD', held_by_member = $2, held_order_id = $3, held_by = $4, held_until = $5
             WHERE code = $1""";

    private static final String RELEASE = """
            UPDATE coupons SET status = 'ISSUED', held_by_member = NULL, held_order_id = NULL, held_by = NULL, held_until = NULL
             WHERE code = $1""";

    /** Every code the member holds through the partner for the order: the checkout was voided. */
    private static final String RELEASE_FOR_ORDER = """
            UPDATE coupons SET status = 'ISSUED', held_by_member = NULL, held_order_id = NULL, held_by = NULL, held_until = NULL
             WHERE status = 'HELD' AND held_by_member = $1 AND held_order_id = $2 AND held_by = $3""";

    private static final String WALLET = """
            SELECT %s FROM coupons c JOIN coupon_definitions d USING (definition_id)
             WHERE c.member_id = $1 AND c.sequence > $2 ORDER BY c.sequence LIMIT $3""".formatted(COUPON_COLUMNS);

    private static final String BATCH_CODES = """
            SELECT %s FROM coupons c JOIN coupon_definitions d USING (definition_id)
             WHERE c.batch_id = $1 AND c.sequence > $2 ORDER BY c.sequence LIMIT $3""".formatted(COUPON_COLUMNS);

    private static final String POINTS_DUE = """
            SELECT code, definition_id, redeemed_by_member, redeemed_order_id, redeemed_at, points_due FROM coupons
             WHERE points_due IS NOT NULL AND redeemed_at < $1 ORDER BY redeemed_at LIMIT $2""";

    private static final String POINTS_POSTED = "UPDATE coupons SET points_due = NULL WHERE code = $1";

    private static final String BATCH_COLUMNS = "batch_id, definition_id, status, requested, issued, created_at, finished_at";

    private static final String INSERT_BATCH = """
            INSERT INTO coupon_batches (batch_id, definition_id, requested, created_by) VALUES ($1, $2, $3, $4)
            RETURNING %s""".formatted(BATCH_COLUMNS);

    private static final String FIND_BATCH = "SELECT " + BATCH_COLUMNS + " FROM coupon_batches WHERE batch_id = $1";

    /** The oldest running batch no live instance holds ($3: that one only), leased to {@code $1} for {@code $2}. */
    private static final String CLAIM_BATCH = """
            UPDATE coupon_batches SET leased_by = $1, lease_until = now() + make_interval(secs => $2)
             WHERE batch_id = (SELECT batch_id FROM coupon_batches
                                WHERE status = 'RUNNING' AND (lease_until IS NULL OR lease_until < now())
                                  AND ($3::uuid IS NULL OR batch_id = $3)
                                ORDER BY created_at LIMIT 1 FOR UPDATE SKIP LOCKED)
            RETURNING %s""".formatted(BATCH_COLUMNS);

    /**
     * One chunk of a batch's codes, only while {@code $4} holds its lease (the batch row locked, so
     * the count and the codes move together); a code that exists already is skipped, and the next
     * chunk makes up for it. Extends the lease; the last chunk finishes the batch.
     */
    private static final String ISSUE_CHUNK = """
            WITH batch AS (
                SELECT batch_id, definition_id FROM coupon_batches
                 WHERE batch_id = $2 AND leased_by = $4 AND status = 'RUNNING' FOR UPDATE
            ), inserted AS (
                INSERT INTO coupons (code, definition_id, batch_id)
                SELECT code, batch.definition_id, batch.batch_id FROM batch, unnest($1::text[]) AS code
                ON CONFLICT (code) DO NOTHING
                RETURNING 1
            )
            UPDATE coupon_batches b
               SET issued = b.issued + (SELECT count(*) FROM inserted), updated_at = now(),
                   lease_until = now() + make_interval(secs => $3),
                   status = CASE WHEN b.issued + (SELECT count(*) FROM inserted) >= b.requested THEN 'DONE' ELSE 'RUNNING' END,
                   finished_at = CASE WHEN b.issued + (SELECT count(*) FROM inserted) >= b.requested THEN now() END
              FROM batch WHERE b.batch_id = batch.batch_id
            RETURNING b.batch_id, b.definition_id, b.status, b.requested, b.issued, b.created_at, b.finished_at""";

    private final Pool pool;
    private final ObjectMapper mapper;
    private final ObjectReader storedDefinitions;
    private final ObjectReader storedAnswers;

    CouponRepository(Pool pool, ObjectMapper mapper) {
        this.pool = pool;
        this.mapper = mapper;
        // A field a newer release added is skipped: one such row cannot stop the release before from reading.
        this.storedDefinitions = mapper.readerFor(CouponDefinitionRequest.class)
                .without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        this.storedAnswers = mapper.readerFor(CouponRedemption.class).without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    Pool pool() {
        return pool;
    }

    /** A code with its definition, and what a redemption stored. */
    record StoredCoupon(String code, long sequence, UUID definitionId, CouponDefinitionRequest definition, UUID memberId,
            CouponStatus status, OffsetDateTime issuedAt, UUID heldByMember, String heldOrderId, OffsetDateTime heldUntil,
            OffsetDateTime redeemedAt, UUID redeemedByMember, String redeemedBy, String redeemKey, CouponRedemption answer) {

        /** A hold past its time is over: the code is ISSUED again. */
        CouponStatus statusAt(OffsetDateTime now) {
            return status == CouponStatus.HELD && !heldUntil.isAfter(now) ? CouponStatus.ISSUED : status;
        }

        Coupon view(OffsetDateTime now) {
            CouponStatus current = statusAt(now);
            return new Coupon(code, definitionId, definition.name(), definition.kind(), memberId, current, issuedAt,
                    definition.validFrom(), definition.validUntil(), current == CouponStatus.HELD ? heldUntil : null, redeemedAt);
        }
    }

    Uni<CouponDefinition> insertDefinition(SqlClient transaction, UUID definitionId, CouponDefinitionRequest definition,
            String createdBy) {
        return transaction.preparedQuery(INSERT_DEFINITION).execute(Tuple.of(definitionId, json(definition), createdBy))
                .map(rows -> definition(rows.iterator().next()));
    }

    Uni<CouponDefinition> findDefinition(UUID definitionId) {
        return pool.preparedQuery(FIND_DEFINITION).execute(Tuple.of(definitionId))
                .map(rows -> rows.size() == 0 ? null : definition(rows.iterator().next()));
    }

    /** Newest first: each with its sequence, for paging. */
    Uni<List<Sequenced<CouponDefinition>>> definitions(long beforeSequence, int limit) {
        return pool.preparedQuery(DEFINITIONS).execute(Tuple.of(beforeSequence, limit))
                .map(rows -> all(rows, row -> new Sequenced<>(row.getLong("sequence"), definition(row))));
    }

    record Sequenced<T>(long sequence, T value) {
    }

    /** The new code, or null when the code exists already. */
    Uni<StoredCoupon> issue(SqlClient transaction, String code, UUID definitionId, UUID memberId) {
        return transaction.preparedQuery(ISSUE).execute(Tuple.of(code, definitionId, memberId)).map(this::first);
    }

    /** Whether this is the first time the campaign rewards the member's occasion (then it is recorded). */
    Uni<Boolean> claimOccasion(SqlClient transaction, UUID memberId, UUID campaignId, String occasion) {
        return transaction.preparedQuery(CLAIM_OCCASION).execute(Tuple.of(memberId, campaignId, occasion))
                .map(rows -> rows.size() == 1);
    }

    Uni<StoredCoupon> find(String code) {
        return pool.preparedQuery(FIND).execute(Tuple.of(code)).map(this::first);
    }

    Uni<StoredCoupon> lock(SqlClient transaction, String code) {
        return transaction.preparedQuery(LOCK).execute(Tuple.of(code)).map(this::first);
    }

    /** Whether the member exists; their account stays locked until the transaction ends. */
    Uni<Boolean> lockMember(SqlClient transaction, UUID memberId) {
        return transaction.preparedQuery(LOCK_MEMBER).execute(Tuple.of(memberId)).map(rows -> rows.size() == 1);
    }

    Uni<Boolean> memberExists(SqlClient client, UUID memberId) {
        return client.preparedQuery(MEMBER_EXISTS).execute(Tuple.of(memberId)).map(rows -> rows.size() == 1);
    }

    Uni<Long> redeemedByMember(SqlClient transaction, UUID memberId, UUID definitionId) {
        return transaction.preparedQuery(REDEEMED_BY_MEMBER).execute(Tuple.of(memberId, definitionId))
                .map(rows -> rows.iterator().next().getLong("redeemed"));
    }

    Uni<Void> redeem(SqlClient transaction, CouponRedemption answer, String partnerId, String idempotencyKey, Long pointsDue) {
        Tuple arguments = Tuple.tuple().addString(answer.code()).addOffsetDateTime(answer.redeemedAt())
                .addUUID(answer.memberId()).addString(answer.orderId()).addString(partnerId).addString(idempotencyKey)
                .addString(json(answer)).addLong(pointsDue);
        return transaction.preparedQuery(REDEEM).execute(arguments).replaceWithVoid();
    }

    Uni<Void> hold(SqlClient transaction, String code, UUID memberId, String orderId, String partnerId, OffsetDateTime until) {
        return transaction.preparedQuery(HOLD).execute(Tuple.of(code, memberId, orderId, partnerId, until)).replaceWithVoid();
    }

    Uni<Void> release(SqlClient transaction, String code) {
        return transaction.preparedQuery(RELEASE).execute(Tuple.of(code)).replaceWithVoid();
    }

    /** The number of codes released. */
    Uni<Integer> releaseForOrder(UUID memberId, String orderId, String partnerId) {
        return pool.preparedQuery(RELEASE_FOR_ORDER).execute(Tuple.of(memberId, orderId, partnerId)).map(RowSet::rowCount);
    }

    Uni<List<StoredCoupon>> wallet(UUID memberId, long afterSequence, int limit) {
        return pool.preparedQuery(WALLET).execute(Tuple.of(memberId, afterSequence, limit)).map(rows -> all(rows, this::stored));
    }

    Uni<List<StoredCoupon>> batchCodes(UUID batchId, long afterSequence, int limit) {
        return pool.preparedQuery(BATCH_CODES).execute(Tuple.of(batchId, afterSequence, limit)).map(rows -> all(rows, this::stored));
    }

    /** A points coupon redeemed whose points were not posted yet. */
    record PointsDue(String code, UUID definitionId, UUID memberId, String orderId, OffsetDateTime redeemedAt, long points) {
    }

    Uni<List<PointsDue>> pointsDue(OffsetDateTime redeemedBefore, int limit) {
        return pool.preparedQuery(POINTS_DUE).execute(Tuple.of(redeemedBefore, limit)).map(rows -> all(rows, row ->
                new PointsDue(row.getString("code"), row.getUUID("definition_id"), row.getUUID("redeemed_by_member"),
                        row.getString("redeemed_order_id"), row.getOffsetDateTime("redeemed_at"), row.getLong("points_due"))));
    }

    Uni<Void> pointsPosted(String code) {
        return pool.preparedQuery(POINTS_POSTED).execute(Tuple.of(code)).replaceWithVoid();
    }

    Uni<CouponBatch> insertBatch(SqlClient transaction, UUID batchId, UUID definitionId, int requested, String createdBy) {
        return transaction.preparedQuery(INSERT_BATCH).execute(Tuple.of(batchId, definitionId, requested, createdBy))
                .map(rows -> batch(rows.iterator().next()));
    }

    Uni<CouponBatch> findBatch(UUID batchId) {
        return pool.preparedQuery(FIND_BATCH).execute(Tuple.of(batchId)).map(rows -> rows.size() == 0 ? null : batch(rows.iterator().next()));
    }

    /** A running batch leased to {@code holder} ({@code batchId}: that one, or any), or null when none is free. */
    Uni<CouponBatch> claimBatch(String holder, Duration lease, UUID batchId) {
        return pool.preparedQuery(CLAIM_BATCH).execute(Tuple.of(holder, (double) lease.toSeconds(), batchId))
                .map(rows -> rows.size() == 0 ? null : batch(rows.iterator().next()));
    }

    /** The batch after one chunk, or null when {@code holder} no longer holds its lease (nothing was inserted). */
    Uni<CouponBatch> issueChunk(UUID batchId, String[] codes, String holder, Duration lease) {
        return pool.preparedQuery(ISSUE_CHUNK).execute(Tuple.of(codes, batchId, (double) lease.toSeconds(), holder))
                .map(rows -> rows.size() == 0 ? null : batch(rows.iterator().next()));
    }

    private CouponDefinition definition(Row row) {
        return new CouponDefinition(row.getUUID("definition_id"), readDefinition(text(row.getValue("definition"))),
                row.getOffsetDateTime("created_at"));
    }

    private static CouponBatch batch(Row row) {
        return new CouponBatch(row.getUUID("batch_id"), row.getUUID("definition_id"),
                CouponBatch.Status.valueOf(row.getString("status")), row.getInteger("requested"), row.getInteger("issued"),
                row.getOffsetDateTime("created_at"), row.getOffsetDateTime("finished_at"));
    }

    private StoredCoupon stored(Row row) {
        String answer = row.getString("answer");
        return new StoredCoupon(row.getString("code"), row.getLong("sequence"), row.getUUID("definition_id"),
                readDefinition(row.getString("definition")), row.getUUID("member_id"),
                CouponStatus.valueOf(row.getString("status")), row.getOffsetDateTime("issued_at"), row.getUUID("held_by_member"),
                row.getString("held_order_id"), row.getOffsetDateTime("held_until"), row.getOffsetDateTime("redeemed_at"),
                row.getUUID("redeemed_by_member"), row.getString("redeemed_by"), row.getString("redeem_key"),
                answer == null ? null : read(storedAnswers, answer));
    }

    private StoredCoupon first(RowSet<Row> rows) {
        return rows.size() == 0 ? null : stored(rows.iterator().next());
    }

    private static <T> List<T> all(RowSet<Row> rows, Function<Row, T> read) {
        List<T> all = new ArrayList<>(rows.size());
        rows.forEach(row -> all.add(read.apply(row)));
        return all;
    }

    private static String text(Object stored) {
        return stored instanceof JsonObject object ? object.encode() : String.valueOf(stored);
    }

    private CouponDefinitionRequest readDefinition(String json) {
        return read(storedDefinitions, json);
    }

    private static <T> T read(ObjectReader reader, String json) {
        try {
            return reader.readValue(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A stored coupon row could not be read", e);
        }
    }

    private String json(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A coupon value could not be written as JSON", e);
        }
    }
}
