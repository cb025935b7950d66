package io.pointsledger.churn;

import static io.pointsledger.support.LedgerApi.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pointsledger.program.ProgramConfig;
import io.pointsledger.support.ChurnHistories;
import io.pointsledger.support.Database;
import io.pointsledger.support.HistoryLoader;
import io.pointsledger.support.LedgerApi;
import io.pointsledger.support.RetailPurchases.Invoice;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.path.json.config.JsonPathConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Churn risk against a real PostgreSQL, on fixed histories of 60 customers over a year and a half,
 * in years only churn tests buy in: 2004-2005, and 1995-1996 for the evaluation (the model learns
 * from and is judged on members active within a year, so the 1980-1981 history of
 * ChurnHistories and the real purchases ChurnEvaluationTest moves to 1990-1991 stay out of it).
 */
@QuarkusTest
class ChurnTest {

    private static final LocalDate CUTOFF = LocalDate.of(2005, 6, 1);
    private static final int EVALUATION_YEAR = 1995;
    private static final LocalDate EVALUATION_CUTOFF = LocalDate.of(EVALUATION_YEAR + 1, 6, 1);
    private static final int HORIZON_DAYS = 90;

    @Inject
    Pool pool;

    @Inject
    ChurnConfig config;

    @Inject
    ProgramConfig program;

    @Inject
    ChurnService churn;

    @Inject
    ChurnRepository repository;

    /**
     * The service's evaluation (SQL summaries, snapshots, fit, rank-based AUC) equals one computed
     * here from the invoices themselves: summaries counted in Java, the same regression fitted on
     * them, and AUC as the share of (churned, stayed) pairs ranked right, counted pair by pair.
     */
    @Test
    void shouldComputeTheAucsAnIndependentComputationGivesOnAFixedHistory() {
        List<Invoice> invoices = ChurnHistories.fixed("fixed-" + UUID.randomUUID().toString().substring(0, 8), EVALUATION_YEAR);
        Map<String, UUID> members = HistoryLoader.load(pool, invoices);

        JsonPath evaluation = given().contentType(ContentType.JSON).body(Map.of("cutoff", EVALUATION_CUTOFF.toString()))
                .post("/v1/admin/churn-models/evaluations").then().statusCode(200).extract().jsonPath()
                .using(new JsonPathConfig(JsonPathConfig.NumberReturnType.DOUBLE));

        List<Snapshot> training = new ArrayList<>();
        for (int snapshot = 0; snapshot < config.trainingSnapshots(); snapshot++) {
            LocalDate day = EVALUATION_CUTOFF.minusDays(HORIZON_DAYS + (long) snapshot * config.snapshotSpacingDays());
            training.addAll(snapshots(invoices, members, day));
        }
        LogisticRegression model = LogisticRegression.fit(training.stream().map(Snapshot::features).toArray(double[][]::new),
                training.stream().mapToInt(Snapshot::churned).toArray(), config.l2Penalty());
        List<Snapshot> scored = snapshots(invoices, members, EVALUATION_CUTOFF);
        Instant cutoff = startOf(EVALUATION_CUTOFF);
        List<double[]> modelScores = scored.stream().map(example -> new double[] {model.probability(example.features()),
                example.churned()}).toList();
        List<double[]> recencyScores = scored.stream().map(example -> new double[] {example.summary().recencyDays(cutoff),
                example.churned()}).toList();

        assertEquals(training.size(), evaluation.getInt("trainingMembers"));
        assertEquals(scored.size(), evaluation.getInt("members"));
        assertEquals(scored.stream().mapToInt(Snapshot::churned).sum(), evaluation.getInt("churned"));
        assertEquals(pairwiseAuc(modelScores), evaluation.getDouble("modelAuc"), 1e-9);
        assertEquals(pairwiseAuc(recencyScores), evaluation.getDouble("recencyAuc"), 1e-9);
        assertEquals(90, evaluation.getInt("horizonDays"));
    }

    /**
     * A trained model is versioned and listed; a member's risk as of a day comes from the newest
     * model: higher for a member silent since long than for one who buys every week, none for a
     * member with no purchase before the day.
     */
    @Test
    void shouldTrainAVersionAndScoreAMemberAsOfADay() {
        String run = "score-" + UUID.randomUUID().toString().substring(0, 8);
        List<Invoice> invoices = new ArrayList<>(ChurnHistories.fixed(run, 2004));
        ZoneId shop = ZoneId.of("Europe/London");
        List<Invoice> regular = new ArrayList<>();
        for (int week = 0; week < 30; week++) {
            regular.add(ChurnHistories.invoice(run + "-regular", run + "-r" + week, LocalDateTime.of(2004, 12, 1, 10, 0).plusWeeks(week), shop));
        }
        invoices.addAll(regular);
        invoices.add(ChurnHistories.invoice(run + "-lapsed", run + "-l1", LocalDateTime.of(2004, 7, 1, 10, 0), shop));
        invoices.add(ChurnHistories.invoice(run + "-lapsed", run + "-l2", LocalDateTime.of(2004, 8, 1, 10, 0), shop));
        Map<String, UUID> members = HistoryLoader.load(pool, invoices);
        UUID newcomer = LedgerApi.enroll();

        var trained = given().contentType(ContentType.JSON).body(Map.of("asOf", "2005-09-01")).post("/v1/admin/churn-models")
                .then().statusCode(201).header("Location", containsString("/v1/admin/churn-models/")).extract().jsonPath();
        long version = trained.getLong("version");
        assertEquals("2005-09-01", trained.getString("asOf"));
        assertEquals(PurchaseSummary.FEATURES, List.copyOf(trained.getMap("weights").keySet()));
        given().get("/v1/admin/churn-models/{version}", version).then().statusCode(200).body("version", equalTo((int) version));
        given().queryParam("limit", 1).get("/v1/admin/churn-models").then().statusCode(200)
                .body("items[0].version", equalTo((int) version));

        double regularRisk = riskOf(members.get(run + "-regular"), version);
        double lapsedRisk = riskOf(members.get(run + "-lapsed"), version);
        assertTrue(lapsedRisk > regularRisk, "lapsed " + lapsedRisk + " vs weekly " + regularRisk);
        given().queryParam("asOf", "2005-06-01").get("/v1/members/{memberId}/churn-risk", newcomer).then().statusCode(200)
                .body("risk", nullValue()).body("purchases", equalTo(0));
    }

    @Test
    void shouldRefuseBadDaysUnknownMembersAndUnknownVersions() {
        UUID member = LedgerApi.enroll();
        for (String asOf : new String[] {"yesterday", "2005-13-01", "1899-12-31", LocalDate.now().plusDays(2).toString(), "\u0000"}) {
            given().queryParam("asOf", asOf).get("/v1/members/{memberId}/churn-risk", member).then().statusCode(400)
                    .body("code", equalTo("VALIDATION_FAILED"));
        }
        given().contentType(ContentType.JSON).body(Map.of("cutoff", LocalDate.now().minusDays(10).toString()))
                .post("/v1/admin/churn-models/evaluations").then().statusCode(400).body("code", equalTo("VALIDATION_FAILED"));
        given().contentType(ContentType.JSON).body("{}").post("/v1/admin/churn-models/evaluations").then().statusCode(400);
        given().get("/v1/admin/churn-models/{version}", "not-a-version").then().statusCode(404)
                .body("code", equalTo("CHURN_MODEL_NOT_FOUND"));
        given().get("/v1/admin/churn-models/{version}", Long.MAX_VALUE).then().statusCode(404)
                .body("code", equalTo("CHURN_MODEL_NOT_FOUND"));
        // Too far back for anyone's history: no example to learn from.
        given().contentType(ContentType.JSON).body(Map.of("asOf", "1950-01-01")).post("/v1/admin/churn-models").then()
                .statusCode(409).body("code", equalTo("CHURN_TRAINING_DATA_INSUFFICIENT"));
    }

    /**
     * Four instances starting the nightly scoring at once score every member with a purchase
     * exactly once between them: one claims the day, the others find it taken.
     */
    @Test
    void shouldScoreEveryMemberOnceWhenInstancesStartTheNightlyRunTogether() {
        HistoryLoader.load(pool, ChurnHistories.fixed("nightly-" + UUID.randomUUID().toString().substring(0, 8), 2004));
        churn.train(CUTOFF.plusDays(HORIZON_DAYS)).await().atMost(Duration.ofMinutes(1));
        // A day of its own: no other test scores as of it.
        LocalDate day = LocalDate.of(2031, 1, 1);

        List<Long> scored = Uni.join().all(List.of(churn.scoreEveryone(day), churn.scoreEveryone(day), churn.scoreEveryone(day),
                churn.scoreEveryone(day))).andCollectFailures().await().atMost(Duration.ofMinutes(2));

        long withPurchases = scoredMembers(day, new UUID(0, 0));
        assertEquals(withPurchases, scored.stream().mapToLong(Long::longValue).sum());
        assertEquals(1, scored.stream().filter(count -> count > 0).count(), "one instance scored the day");
        assertEquals(withPurchases, Database.single(pool, "SELECT count(*) FROM churn_scores WHERE as_of = $1", day).getLong(0));
        assertEquals(withPurchases, Database.single(pool,
                "SELECT members_scored FROM churn_scoring_runs WHERE as_of = $1 AND finished_at IS NOT NULL", day).getLong(0));
    }

    /**
     * A run whose instance stopped (no heartbeat for longer than the take-over delay) is resumed by
     * the next look, after the last member it recorded; a run that is still moving is left alone.
     */
    @Test
    void shouldResumeAStalledRunFromWhereItStoppedAndLeaveAMovingOneAlone() {
        HistoryLoader.load(pool, ChurnHistories.fixed("stalled-" + UUID.randomUUID().toString().substring(0, 8), 2004));
        churn.train(CUTOFF.plusDays(HORIZON_DAYS)).await().atMost(Duration.ofMinutes(1));
        long version = Database.single(pool, "SELECT max(version) FROM churn_models").getLong(0);
        LocalDate stalled = LocalDate.of(2032, 1, 1);
        LocalDate moving = stalled.plusDays(1);
        UUID stoppedAfter = UUID.fromString("80000000-0000-0000-0000-000000000000");
        Database.execute(pool, """
                INSERT INTO churn_scoring_runs (as_of, model_version, claimed_by, last_member_id, heartbeat_at)
                VALUES ($1, $2, gen_random_uuid(), $3, now() - interval '1 hour'),
                       ($4, $2, gen_random_uuid(), $3, now())""", stalled, version, stoppedAfter, moving);

        long resumed = churn.scoreEveryone(stalled).await().atMost(Duration.ofMinutes(2));
        long leftAlone = churn.scoreEveryone(moving).await().atMost(Duration.ofMinutes(2));

        assertEquals(scoredMembers(stalled, stoppedAfter), resumed);
        assertEquals(0, Database.single(pool, "SELECT count(*) FROM churn_scores WHERE as_of = $1 AND member_id <= $2",
                stalled, stoppedAfter).getLong(0), "the members before where it stopped are not scored again");
        assertEquals(resumed, Database.single(pool, "SELECT count(*) FROM churn_scores WHERE as_of = $1", stalled).getLong(0));
        assertEquals(0, leftAlone);
    }

    /** An instance whose run another has taken over writes nothing more: the page is recorded and saved only under its claim. */
    @Test
    void shouldWriteNothingOnceTheRunBelongsToAnotherClaim() {
        UUID member = LedgerApi.enroll();
        LocalDate day = LocalDate.of(2034, 1, 1);
        Database.execute(pool, "INSERT INTO churn_scoring_runs (as_of, model_version, claimed_by) VALUES ($1, 1, gen_random_uuid())", day);
        ChurnRepository.ScoringRun lost = new ChurnRepository.ScoringRun(day, UUID.randomUUID(), 1, null, 0);

        boolean ours = repository.savePage(lost, List.of(new ChurnScore(member, 1, day, 0.5)), member, false)
                .await().atMost(Duration.ofSeconds(10));

        assertEquals(false, ours);
        assertEquals(0, Database.single(pool, "SELECT count(*) FROM churn_scores WHERE member_id = $1", member).getLong(0));
        assertEquals(0, Database.single(pool, "SELECT members_scored FROM churn_scoring_runs WHERE as_of = $1", day).getLong(0));
    }

    /** An erased member is not scored: their stored score goes with the erasure, and asking for one is 404. */
    @Test
    void shouldForgetAnErasedMembersScore() {
        Map<String, UUID> members = HistoryLoader.load(pool, ChurnHistories.fixed("erased-" + UUID.randomUUID().toString().substring(0, 8), 2004));
        churn.train(CUTOFF.plusDays(HORIZON_DAYS)).await().atMost(Duration.ofMinutes(1));
        LocalDate day = LocalDate.of(2033, 1, 1);
        churn.scoreEveryone(day).await().atMost(Duration.ofMinutes(2));
        UUID member = members.values().iterator().next();
        assertEquals(1, Database.single(pool, "SELECT count(*) FROM churn_scores WHERE member_id = $1", member).getLong(0));

        given().delete("/v1/members/{memberId}", member).then().statusCode(204);

        assertEquals(0, Database.single(pool, "SELECT count(*) FROM churn_scores WHERE member_id = $1", member).getLong(0));
        given().get("/v1/members/{memberId}/churn-risk", member).then().statusCode(404).body("code", equalTo("MEMBER_NOT_FOUND"));
    }

    /** Members not erased with a purchase before the start of {@code day}, after {@code after} in id order. */
    private long scoredMembers(LocalDate day, UUID after) {
        return Database.single(pool, """
                SELECT count(*) FROM members m WHERE m.erased_at IS NULL AND m.member_id > $2
                   AND (EXISTS (SELECT 1 FROM transfers t WHERE t.member_id = m.member_id AND t.kind = 'EARN' AND t.amount_minor_units > 0
                                   AND t.occurred_at < $1)
                        OR EXISTS (SELECT 1 FROM purchase_history h WHERE h.member_id = m.member_id AND h.transfer_id IS NULL
                                      AND NOT h.posting_pending AND h.occurred_at < $1))""",
                startOf(day).atOffset(java.time.ZoneOffset.UTC), after).getLong(0);
    }

    private double riskOf(UUID memberId, long version) {
        JsonPath risk = given().queryParam("asOf", "2005-06-01").get("/v1/members/{memberId}/churn-risk", memberId).then()
                .statusCode(200).body("modelVersion", equalTo((int) version)).extract().jsonPath();
        return risk.getDouble("risk");
    }

    /** A member as they stood on a day, from the invoices: what the SQL summary should say. */
    private record Snapshot(PurchaseSummary summary, double[] features, int churned) {
    }

    private List<Snapshot> snapshots(List<Invoice> invoices, Map<String, UUID> members, LocalDate day) {
        Instant at = startOf(day);
        Instant windowEnd = startOf(day.plusDays(HORIZON_DAYS));
        Map<String, List<Invoice>> byCustomer = new LinkedHashMap<>();
        invoices.forEach(invoice -> byCustomer.computeIfAbsent(invoice.customer(), customer -> new ArrayList<>()).add(invoice));
        List<Snapshot> snapshots = new ArrayList<>();
        // In the database's order of member ids (unsigned bytes, as their text compares), so that the
        // fit adds the same numbers in the same order.
        byCustomer.entrySet().stream().sorted(Map.Entry.comparingByKey((left, right) ->
                members.get(left).toString().compareTo(members.get(right).toString()))).forEach(entry -> {
                    List<Invoice> before = entry.getValue().stream().filter(invoice -> invoice.occurredAt().toInstant().isBefore(at))
                            .toList();
                    Instant activeSince = startOf(day.minusDays(config.activeDays()));
                    if (before.isEmpty() || before.stream().noneMatch(invoice -> !invoice.occurredAt().toInstant().isBefore(activeSince))) {
                        return;
                    }
                    boolean boughtAfter = entry.getValue().stream().anyMatch(invoice -> !invoice.occurredAt().toInstant().isBefore(at)
                            && invoice.occurredAt().toInstant().isBefore(windowEnd));
                    PurchaseSummary summary = summary(members.get(entry.getKey()), before, at, boughtAfter);
                    snapshots.add(new Snapshot(summary, summary.features(at), boughtAfter ? 0 : 1));
                });
        return snapshots;
    }

    private static PurchaseSummary summary(UUID memberId, List<Invoice> before, Instant at, boolean boughtAfter) {
        Instant first = before.stream().map(invoice -> invoice.occurredAt().toInstant()).min(Instant::compareTo).orElseThrow();
        Instant last = before.stream().map(invoice -> invoice.occurredAt().toInstant()).max(Instant::compareTo).orElseThrow();
        long amount = before.stream().mapToLong(Invoice::amountMinorUnits).sum();
        long lastQuarter = before.stream().filter(invoice -> !invoice.occurredAt().toInstant().isBefore(at.minus(Duration.ofDays(90))))
                .count();
        long quarterBefore = before.stream().filter(invoice -> invoice.occurredAt().toInstant().isBefore(at.minus(Duration.ofDays(90)))
                && !invoice.occurredAt().toInstant().isBefore(at.minus(Duration.ofDays(180)))).count();
        long months = before.stream().map(invoice -> invoice.occurredAt().withOffsetSameInstant(java.time.ZoneOffset.UTC)
                .withDayOfMonth(1).toLocalDate()).distinct().count();
        return new PurchaseSummary(memberId, before.size(), first, last, amount, lastQuarter, quarterBefore, months, 0, boughtAfter);
    }

    /** AUC by its definition: over every (churned, stayed) pair, 1 when the churned scores higher, ½ on a tie. */
    private static double pairwiseAuc(List<double[]> scoreAndLabel) {
        double right = 0;
        long pairs = 0;
        for (double[] churned : scoreAndLabel) {
            for (double[] stayed : scoreAndLabel) {
                if (churned[1] == 1 && stayed[1] == 0) {
                    right += churned[0] > stayed[0] ? 1 : churned[0] == stayed[0] ? 0.5 : 0;
                    pairs++;
                }
            }
        }
        return right / pairs;
    }

    private Instant startOf(LocalDate day) {
        return day.atStartOfDay(program.timeZone()).toInstant();
    }
}
