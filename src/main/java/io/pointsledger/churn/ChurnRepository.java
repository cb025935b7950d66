package io.pointsledger.churn;

import io.pointsledger.purchases.MemberPurchases;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** All SQL of churn risk. */
@ApplicationScoped
public class ChurnRepository {

    /** A member's purchases, as every measure of purchase history counts them. */
    private static final String PURCHASES = MemberPurchases.before("$2");

    /**
     * The purchase summaries of the members its first {@code %s} picks (a page, or one member), as
     * of {@code $1}; {@code $2} is the end of the label window ({@code $1} when there is none),
     * {@code $3} and {@code $4} the
     * starts of the last quarter and of the one before, {@code $5} the program's time zone (for
     * calendar months). Members without a purchase before {@code $1} come back with zero
     * purchases, so that the caller can page on; erased members are left out. A return is an
     * earn for an amount reversed, however many reversals it took.
     */
    private static final String SUMMARIES = """
            SELECT m.member_id, s.*,
                   (SELECT count(DISTINCT r.related_transfer_id) FROM transfers r
                      JOIN transfers e ON e.transfer_id = r.related_transfer_id AND e.member_id = r.member_id
                                      AND e.kind = 'EARN' AND e.amount_minor_units > 0
                     WHERE r.member_id = m.member_id AND r.kind = 'REVERSAL' AND r.occurred_at < $1) AS returns
              FROM (%s) m
             CROSS JOIN LATERAL (
                SELECT count(*) FILTER (WHERE p.occurred_at < $1) AS purchases,
                       min(p.occurred_at) FILTER (WHERE p.occurred_at < $1) AS first_at,
                       max(p.occurred_at) FILTER (WHERE p.occurred_at < $1) AS last_at,
                       COALESCE(sum(p.amount) FILTER (WHERE p.occurred_at < $1), 0)::bigint AS amount,
                       count(*) FILTER (WHERE p.occurred_at < $1 AND p.occurred_at >= $3) AS last_quarter,
                       count(*) FILTER (WHERE p.occurred_at < $3 AND p.occurred_at >= $4) AS quarter_before,
                       count(DISTINCT date_trunc('month', p.occurred_at AT TIME ZONE $5)) FILTER (WHERE p.occurred_at < $1)
                           AS months_active,
                       count(*) FILTER (WHERE p.occurred_at >= $1) > 0 AS bought_in_window
                  FROM (%s) p
             ) s
             ORDER BY m.member_id""";

    /**
     * A page of members after {@code $6} in id order ({@code $7} of them). The bound is never null
     * (the nil UUID before the first page), so that a generic plan still seeks the key's index.
     */
    private static final String PAGE_SUMMARIES = SUMMARIES.formatted(
            "SELECT member_id FROM members WHERE member_id > $6 AND erased_at IS NULL ORDER BY member_id LIMIT $7", PURCHASES);

    private static final String MEMBER_SUMMARY = SUMMARIES.formatted(
            "SELECT member_id FROM members WHERE member_id = $6 AND erased_at IS NULL", PURCHASES);

    /** Before every member id: the first page's bound. */
    static final UUID FIRST_MEMBER_BOUND = new UUID(0, 0);

    private static final String MODEL_COLUMNS = """
            version, trained_at, as_of, horizon_days, feature_names, means, scales, weights, bias, training_members, churn_share,
            training_auc""";

    private static final String INSERT_MODEL = """
            INSERT INTO churn_models (as_of, horizon_days, feature_names, means, scales, weights, bias, training_members, churn_share,
                                      training_auc)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
            RETURNING\s""" + MODEL_COLUMNS;

    /** The newest model that answers this release's question with this release's features. */
    private static final String LATEST_MODEL = "SELECT " + MODEL_COLUMNS
            + " FROM churn_models WHERE feature_names = $1 AND horizon_days = $2 ORDER BY version DESC LIMIT 1";

    private static final String MODEL = "SELECT " + MODEL_COLUMNS + " FROM churn_models WHERE version = $1";

    private static final String MODELS = "SELECT " + MODEL_COLUMNS
            + " FROM churn_models WHERE ($1::bigint IS NULL OR version < $1) ORDER BY version DESC LIMIT $2";

    /**
     * Saves scores of members not erased, each held against an erasure until the transaction
     * ends ({@code FOR KEY SHARE}, in member order, as an import holds them): an erasure deletes
     * the score in its own transaction, after which no score may come back.
     */
    private static final String SAVE_SCORES = """
            WITH held AS (
                SELECT member_id FROM members WHERE member_id = ANY($1::uuid[]) AND erased_at IS NULL
                 ORDER BY member_id FOR KEY SHARE
            )
            INSERT INTO churn_scores (member_id, model_version, as_of, risk)
            SELECT s.* FROM unnest($1::uuid[], $2::bigint[], $3::date[], $4::float8[]) AS s (member_id, model_version, as_of, risk)
              JOIN held USING (member_id)
            ON CONFLICT (member_id) DO UPDATE
               SET model_version = EXCLUDED.model_version, as_of = EXCLUDED.as_of, risk = EXCLUDED.risk, scored_at = now()""";

    /**
     * Takes the day's nightly scoring: a new run, or one whose instance stopped beating for
     * {@code $3} seconds (it resumes where that one got to). No row: another instance has it, or
     * it is done.
     */
    private static final String CLAIM_RUN = """
            INSERT INTO churn_scoring_runs AS run (as_of, model_version, claimed_by) VALUES ($1, $2, $4)
            ON CONFLICT (as_of) DO UPDATE SET heartbeat_at = now(), claimed_by = EXCLUDED.claimed_by
             WHERE run.finished_at IS NULL AND run.heartbeat_at < now() - make_interval(secs => $3)
            RETURNING model_version, last_member_id, members_scored""";

    /** Records a page done, unless another instance took the run over meanwhile (no row then). */
    private static final String ADVANCE_RUN = """
            UPDATE churn_scoring_runs SET last_member_id = $2, members_scored = members_scored + $3, heartbeat_at = now(),
                   finished_at = CASE WHEN $4 THEN now() END
             WHERE as_of = $1 AND claimed_by = $5 AND finished_at IS NULL""";

    private static final String FORGET_MEMBER = "DELETE FROM churn_scores WHERE member_id = $1";

    private final Pool pool;

    ChurnRepository(Pool pool) {
        this.pool = pool;
    }

    /** Summaries of up to {@code pageSize} members after {@code after} in id order, as {@code window} says. */
    Uni<List<PurchaseSummary>> page(SummaryWindow window, UUID after, int pageSize) {
        return pool.preparedQuery(PAGE_SUMMARIES).execute(window.arguments().addUUID(after).addInteger(pageSize))
                .map(ChurnRepository::toSummaries);
    }

    /** The member's summary; empty for an unknown or erased member. */
    Uni<Optional<PurchaseSummary>> member(SummaryWindow window, UUID memberId) {
        return pool.preparedQuery(MEMBER_SUMMARY).execute(window.arguments().addUUID(memberId))
                .map(rows -> toSummaries(rows).stream().findFirst());
    }

    /**
     * What a summary is taken as of: purchases before {@code asOf}, whether the member bought
     * before {@code windowEnd} (null: no window), calendar months in {@code zone}.
     */
    record SummaryWindow(Instant asOf, Instant windowEnd, ZoneId zone) {

        private static final Duration QUARTER = Duration.ofDays(90);

        Tuple arguments() {
            return Tuple.of(utc(asOf), utc(windowEnd == null ? asOf : windowEnd), utc(asOf.minus(QUARTER)),
                    utc(asOf.minus(QUARTER).minus(QUARTER)), zone.getId());
        }
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
        return pool.preparedQuery(INSERT_MODEL).execute(Tuple.from(List.of(model.asOf(), model.horizonDays(),
                        model.featureNames().toArray(String[]::new),
                        boxed(regression.means()), boxed(regression.scales()), boxed(regression.weights()), regression.bias(),
                        model.trainingMembers(), model.churnShare(), model.trainingAuc())))
                .map(rows -> toModel(rows.iterator().next()));
    }

    Uni<Optional<ChurnModel>> latestModel(List<String> featureNames, int horizonDays) {
        return pool.preparedQuery(LATEST_MODEL).execute(Tuple.of(featureNames.toArray(String[]::new), horizonDays))
                .map(ChurnRepository::firstModel);
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

    /** On the caller's transaction. */
    Uni<Void> saveScores(SqlClient transaction, List<ChurnScore> scores) {
        if (scores.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return transaction.preparedQuery(SAVE_SCORES).execute(Tuple.of(scores.stream().map(ChurnScore::memberId).toArray(UUID[]::new),
                        scores.stream().map(ChurnScore::modelVersion).toArray(Long[]::new),
                        scores.stream().map(ChurnScore::asOf).toArray(LocalDate[]::new),
                        scores.stream().map(ChurnScore::risk).toArray(Double[]::new)))
                .replaceWithVoid();
    }

    /** The run to carry on, if this instance takes the day's scoring under the claim {@code claim}. */
    Uni<Optional<ScoringRun>> claimRun(LocalDate asOf, long modelVersion, long staleSeconds, UUID claim) {
        return pool.preparedQuery(CLAIM_RUN).execute(Tuple.of(asOf, modelVersion, staleSeconds, claim)).map(rows -> rows.size() == 0
                ? Optional.empty()
                : Optional.of(toRun(asOf, claim, rows.iterator().next())));
    }

    /**
     * Records a page of {@code scores} and saves them, in one transaction, unless another
     * instance took the run over: then nothing is written. Whether the run was still this claim's.
     */
    Uni<Boolean> savePage(ScoringRun run, List<ChurnScore> scores, UUID lastMemberId, boolean finished) {
        return pool.withTransaction(transaction -> advanceRun(transaction, run, lastMemberId, scores.size(), finished)
                .call(ours -> ours ? saveScores(transaction, scores) : Uni.createFrom().voidItem()));
    }

    private Uni<Boolean> advanceRun(SqlClient transaction, ScoringRun run, UUID lastMemberId, long scored, boolean finished) {
        return transaction.preparedQuery(ADVANCE_RUN).execute(Tuple.of(run.asOf(), lastMemberId, scored, finished, run.claim()))
                .map(rows -> rows.rowCount() == 1);
    }

    /** Deletes the member's stored score, on the caller's transaction (an erasure). */
    Uni<Void> forgetMember(SqlClient transaction, UUID memberId) {
        return transaction.preparedQuery(FORGET_MEMBER).execute(Tuple.of(memberId)).replaceWithVoid();
    }

    /** A nightly scoring in progress. */
    record ScoringRun(LocalDate asOf, UUID claim, long modelVersion, UUID lastMemberId, long membersScored) {
    }

    private static ScoringRun toRun(LocalDate asOf, UUID claim, Row row) {
        return new ScoringRun(asOf, claim, row.getLong("model_version"), row.getUUID("last_member_id"), row.getLong("members_scored"));
    }

    private static Optional<ChurnModel> firstModel(RowSet<Row> rows) {
        return rows.size() == 0 ? Optional.empty() : Optional.of(toModel(rows.iterator().next()));
    }

    private static ChurnModel toModel(Row row) {
        LogisticRegression regression = new LogisticRegression(unboxed(row.getArrayOfDoubles("means")),
                unboxed(row.getArrayOfDoubles("scales")), unboxed(row.getArrayOfDoubles("weights")), row.getDouble("bias"));
        return new ChurnModel(row.getLong("version"), row.getOffsetDateTime("trained_at").toInstant(), row.getLocalDate("as_of"),
                row.getInteger("horizon_days"), List.of(row.getArrayOfStrings("feature_names")), regression, row.getInteger("training_members"),
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
