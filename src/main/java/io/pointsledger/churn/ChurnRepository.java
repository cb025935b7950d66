package io.pointsledger.churn;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** All SQL of churn risk. */
@ApplicationScoped
public class ChurnRepository {

    /**
     * A member's purchases: earns, and purchases from before the program that no earn posted (an
     * import that posted points names the earn, which is counted once, as the earn).
     */
    private static final String PURCHASES = """
            SELECT t.occurred_at, COALESCE(t.amount_minor_units, 0) AS amount FROM transfers t
             WHERE t.member_id = m.member_id AND t.kind = 'EARN' AND t.occurred_at < $2
            UNION ALL
            SELECT h.occurred_at, h.amount_minor_units FROM purchase_history h
             WHERE h.member_id = m.member_id AND h.transfer_id IS NULL AND NOT h.posting_pending AND h.occurred_at < $2""";

    /**
     * The purchase summaries of a page of members (after {@code $4} in id order, {@code $5} of
     * them), as of {@code $1}; {@code $2} is the end of the label window ({@code $1} when there is
     * none). Members without a purchase before {@code $1} come back with zero purchases, so that the
     * caller can page on; erased members are left out. One index probe per member and source.
     */
    private static final String SUMMARIES = """
            SELECT m.member_id, s.*,
                   (SELECT count(*) FROM transfers r JOIN transfers e ON e.transfer_id = r.related_transfer_id AND e.kind = 'EARN'
                     WHERE r.member_id = m.member_id AND r.kind = 'REVERSAL' AND r.occurred_at < $1) AS returns
              FROM (SELECT member_id FROM members
                     WHERE ($4::uuid IS NULL OR member_id > $4) AND ($3::uuid[] IS NULL OR member_id = ANY($3)) AND erased_at IS NULL
                     ORDER BY member_id LIMIT $5) m
             CROSS JOIN LATERAL (
                SELECT count(*) FILTER (WHERE p.occurred_at < $1) AS purchases,
                       min(p.occurred_at) FILTER (WHERE p.occurred_at < $1) AS first_at,
                       max(p.occurred_at) FILTER (WHERE p.occurred_at < $1) AS last_at,
                       COALESCE(sum(p.amount) FILTER (WHERE p.occurred_at < $1), 0)::bigint AS amount,
                       count(*) FILTER (WHERE p.occurred_at < $1 AND p.occurred_at >= $1 - interval '90 days') AS last_quarter,
                       count(*) FILTER (WHERE p.occurred_at < $1 - interval '90 days' AND p.occurred_at >= $1 - interval '180 days')
                           AS quarter_before,
                       count(DISTINCT date_trunc('month', p.occurred_at AT TIME ZONE 'UTC')) FILTER (WHERE p.occurred_at < $1)
                           AS months_active,
                       count(*) FILTER (WHERE p.occurred_at >= $1) > 0 AS bought_in_window
                  FROM (%s) p
             ) s
             ORDER BY m.member_id""".formatted(PURCHASES);

    private static final String MODEL_COLUMNS = """
            version, trained_at, as_of, feature_names, means, scales, weights, bias, training_members, churn_share, training_auc""";

    private static final String INSERT_MODEL = """
            INSERT INTO churn_models (as_of, feature_names, means, scales, weights, bias, training_members, churn_share, training_auc)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
            RETURNING\s""" + MODEL_COLUMNS;

    private static final String LATEST_MODEL = "SELECT " + MODEL_COLUMNS + " FROM churn_models ORDER BY version DESC LIMIT 1";

    private static final String MODEL = "SELECT " + MODEL_COLUMNS + " FROM churn_models WHERE version = $1";

    private static final String MODELS = "SELECT " + MODEL_COLUMNS
            + " FROM churn_models WHERE ($1::bigint IS NULL OR version < $1) ORDER BY version DESC LIMIT $2";

    private static final String SAVE_SCORES = """
            INSERT INTO churn_scores (member_id, model_version, as_of, risk)
            SELECT * FROM unnest($1::uuid[], $2::bigint[], $3::date[], $4::float8[])
            ON CONFLICT (member_id) DO UPDATE
               SET model_version = EXCLUDED.model_version, as_of = EXCLUDED.as_of, risk = EXCLUDED.risk, scored_at = now()""";

    /**
     * Takes the day's nightly scoring: a new run, or one whose instance stopped beating for
     * {@code $3} seconds (it resumes where that one got to). No row: another instance has it, or
     * it is done.
     */
    private static final String CLAIM_RUN = """
            INSERT INTO churn_scoring_runs AS run (as_of, model_version) VALUES ($1, $2)
            ON CONFLICT (as_of) DO UPDATE SET heartbeat_at = now()
             WHERE run.finished_at IS NULL AND run.heartbeat_at < now() - make_interval(secs => $3)
            RETURNING model_version, last_member_id, members_scored""";

    private static final String ADVANCE_RUN = """
            UPDATE churn_scoring_runs SET last_member_id = $2, members_scored = members_scored + $3, heartbeat_at = now(),
                   finished_at = CASE WHEN $4 THEN now() END
             WHERE as_of = $1""";

    private static final String FORGET_MEMBER = "DELETE FROM churn_scores WHERE member_id = $1";

    private final Pool pool;

    ChurnRepository(Pool pool) {
        this.pool = pool;
    }

    /**
     * Summaries of up to {@code pageSize} members after {@code after} (null: from the first), or of
     * {@code memberIds} only when not null, as of {@code asOf}, with whether each bought in
     * {@code [asOf, windowEnd)} ({@code windowEnd} null: no window).
     */
    Uni<List<PurchaseSummary>> summaries(Instant asOf, Instant windowEnd, List<UUID> memberIds, UUID after, int pageSize) {
        Tuple arguments = Tuple.of(utc(asOf), utc(windowEnd == null ? asOf : windowEnd),
                memberIds == null ? null : memberIds.toArray(UUID[]::new), after).addInteger(pageSize);
        return pool.preparedQuery(SUMMARIES).execute(arguments).map(ChurnRepository::toSummaries);
    }

    private static List<PurchaseSummary> toSummaries(RowSet<Row> rows) {
        List<PurchaseSummary> summaries = new ArrayList<>(rows.size());
        for (Row row : rows) {
            summaries.add(new PurchaseSummary(row.getUUID("member_id"), row.getLong("purchases"), instant(row, "first_at"),
                    instant(row, "last_at"), row.getLong("amount"), row.getLong("last_quarter"), row.getLong("quarter_before"),
                    row.getLong("months_active"), row.getLong("returns"), row.getBoolean("bought_in_window")));
        }
        return summaries;
    }

    Uni<ChurnModel> insertModel(ChurnModel model) {
        LogisticRegression regression = model.regression();
        return pool.preparedQuery(INSERT_MODEL).execute(Tuple.from(List.of(model.asOf(), model.featureNames().toArray(String[]::new),
                        boxed(regression.means()), boxed(regression.scales()), boxed(regression.weights()), regression.bias(),
                        model.trainingMembers(), model.churnShare(), model.trainingAuc())))
                .map(rows -> toModel(rows.iterator().next()));
    }

    Uni<Optional<ChurnModel>> latestModel() {
        return pool.preparedQuery(LATEST_MODEL).execute().map(ChurnRepository::firstModel);
    }

    Uni<Optional<ChurnModel>> model(long version) {
        return pool.preparedQuery(MODEL).execute(Tuple.of(version)).map(ChurnRepository::firstModel);
    }

    /** Newest first, versions below {@code before} (null: from the newest). */
    Uni<List<ChurnModel>> models(Long before, int limit) {
        return pool.preparedQuery(MODELS).execute(Tuple.of(before, limit)).map(rows -> {
            List<ChurnModel> models = new ArrayList<>(rows.size());
            rows.forEach(row -> models.add(toModel(row)));
            return models;
        });
    }

    Uni<Void> saveScores(List<ChurnScore> scores) {
        if (scores.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return pool.preparedQuery(SAVE_SCORES).execute(Tuple.of(scores.stream().map(ChurnScore::memberId).toArray(UUID[]::new),
                        scores.stream().map(ChurnScore::modelVersion).toArray(Long[]::new),
                        scores.stream().map(ChurnScore::asOf).toArray(LocalDate[]::new),
                        scores.stream().map(ChurnScore::risk).toArray(Double[]::new)))
                .replaceWithVoid();
    }

    /** The run to carry on, if this instance takes the day's scoring. */
    Uni<Optional<ScoringRun>> claimRun(LocalDate asOf, long modelVersion, long staleSeconds) {
        return pool.preparedQuery(CLAIM_RUN).execute(Tuple.of(asOf, modelVersion, staleSeconds)).map(rows -> rows.size() == 0
                ? Optional.empty()
                : Optional.of(toRun(asOf, rows.iterator().next())));
    }

    Uni<Void> advanceRun(LocalDate asOf, UUID lastMemberId, long scored, boolean finished) {
        return pool.preparedQuery(ADVANCE_RUN).execute(Tuple.of(asOf, lastMemberId, scored, finished)).replaceWithVoid();
    }

    /** Deletes the member's stored score, on the caller's transaction (an erasure). */
    public Uni<Void> forgetMember(SqlClient transaction, UUID memberId) {
        return transaction.preparedQuery(FORGET_MEMBER).execute(Tuple.of(memberId)).replaceWithVoid();
    }

    /** A nightly scoring in progress. */
    record ScoringRun(LocalDate asOf, long modelVersion, UUID lastMemberId, long membersScored) {
    }

    private static ScoringRun toRun(LocalDate asOf, Row row) {
        return new ScoringRun(asOf, row.getLong("model_version"), row.getUUID("last_member_id"), row.getLong("members_scored"));
    }

    private static Optional<ChurnModel> firstModel(RowSet<Row> rows) {
        return rows.size() == 0 ? Optional.empty() : Optional.of(toModel(rows.iterator().next()));
    }

    private static ChurnModel toModel(Row row) {
        LogisticRegression regression = new LogisticRegression(unboxed(row.getArrayOfDoubles("means")),
                unboxed(row.getArrayOfDoubles("scales")), unboxed(row.getArrayOfDoubles("weights")), row.getDouble("bias"));
        return new ChurnModel(row.getLong("version"), row.getOffsetDateTime("trained_at").toInstant(), row.getLocalDate("as_of"),
                List.of(row.getArrayOfStrings("feature_names")), regression, row.getInteger("training_members"),
                row.getDouble("churn_share"), row.getDouble("training_auc"));
    }

    private static Double[] boxed(double[] values) {
        Double[] boxed = new Double[values.length];
        for (int index = 0; index < values.length; index++) {
            boxed[index] = values[index];
        }
        return boxed;
    }

    private static double[] unboxed(Double[] values) {
        double[] unboxed = new double[values.length];
        for (int index = 0; index < values.length; index++) {
            unboxed[index] = values[index];
        }
        return unboxed;
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    private static Instant instant(Row row, String column) {
        OffsetDateTime value = row.getOffsetDateTime(column);
        return value == null ? null : value.toInstant();
    }
}
