package io.pointsledger.segments;

import static io.pointsledger.support.LedgerApi.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pointsledger.platform.ErrorCode;
import io.pointsledger.platform.ProblemException;
import io.pointsledger.support.Database;
import io.pointsledger.support.HistoryLoader;
import io.pointsledger.support.LedgerApi;
import io.pointsledger.support.Segments;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.path.json.config.JsonPathConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Segments against a real PostgreSQL. The fixed history buys in the year before AS_OF, a year
 * from 1935 to 1955 picked at random (no other test buys in those years; the other tests here
 * measure 1959 to 1962), so that its ten active members are the whole active base and every
 * quintile cutoff and score is the one worked out by hand below, on a fresh database or not.
 */
@QuarkusTest
class SegmentTest {

    private static final LocalDate AS_OF = LocalDate.of(1935 + java.util.concurrent.ThreadLocalRandom.current().nextInt(21), 1, 1);
    private static final Duration WAIT = Duration.ofMinutes(2);

    @Inject
    Pool pool;
    @Inject
    AttributeRuns runs;
    @Inject
    SegmentRepository repository;
    @Inject
    SegmentsConfig config;

    /**
     * Ten active members, worked out by hand (n = 10: percentile_disc at 0.2, 0.4, 0.6 and 0.8 is
     * the 2nd, 4th, 6th and 8th value in order; a value scores one more than the cutoffs it is above):
     * <pre>
     * member  purchases  days since last  amount   R  F  M   born        age on AS_OF       region
     *                                                          (the dates for AS_OF 1972-01-01: each is as far before AS_OF)
     * M1      1          300              5 000    1  1  2   1950-01-01  22                 Seoul
     * M2      1          200              1 000    1  1  1   1950-01-02  21                 Seoul
     * M3      1          10               20 000   4  1  5   1942-01-01  30                 Seoul
     * M4      2          100              3 000    2  2  1   1952-01-02  19                 Busan
     * M5      2          30               8 000    3  2  3   1951-12-31  20                 Seoul
     * M6      3          60               6 000    2  3  3   -           -                  Busan
     * M7      4          5                4 000    4  4  2   1945-06-01  26                 Busan
     * M8      5          20               15 000   3  4  4   1960-01-01  12                 Busan
     * M9      6          2                12 000   5  5  4   1949-01-01  23                 Busan
     * M10     8          1                40 000   5  5  5   1951-06-01  20                 Busan
     * M11     1, 2 years 7 months before; none in the window: no scores  1949-12-31  22   Seoul
     * M12     none                                             -           -                  Seoul
     * </pre>
     * Cutoffs: recency (days) 200, 60, 20, 5; frequency 1, 2, 3, 5; monetary 3 000, 5 000, 8 000, 15 000.
     */
    @Test
    void shouldAdmitExactlyTheMembersAHandComputationAdmitsOnAFixedHistory() {
        String tag = UUID.randomUUID().toString().substring(0, 8);
        String seoul = "Seoul-" + tag;
        String busan = "Busan-" + tag;
        List<UUID> m = new ArrayList<>();
        m.add(member(seoul, born(22, 0, 0), 1, 300, 5_000));
        m.add(member(seoul, born(22, 0, 1), 1, 200, 1_000));
        m.add(member(seoul, born(30, 0, 0), 1, 10, 20_000));
        m.add(member(busan, born(20, 0, 1), 2, 100, 1_500));
        m.add(member(seoul, born(20, 0, -1), 2, 30, 4_000));
        m.add(member(busan, null, 3, 60, 2_000));
        m.add(member(busan, born(27, 5, 0), 4, 5, 1_000));
        m.add(member(busan, born(12, 0, 0), 5, 20, 3_000));
        m.add(member(busan, born(23, 0, 0), 6, 2, 2_000));
        m.add(member(busan, born(21, 5, 0), 8, 1, 5_000));
        UUID m11 = member(seoul, born(22, 0, -1), 0, 0, 0);
        HistoryLoader.record(pool, m11, List.of(noon(AS_OF.minusYears(2).minusMonths(7))), 7_000);
        m.add(m11);
        m.add(member(seoul, null, 0, 0, 0));
        churnScore(m.get(0), 0.9);
        churnScore(m.get(1), 0.7);
        churnScore(m.get(2), 0.69);
        churnScore(m11, 0.95);

        AttributeRun run = runNow(AS_OF);

        assertEquals(10, run.activeMembers());
        assertEquals(List.of(200L, 60L, 20L, 5L), run.recencyCutoffDays());
        assertEquals(List.of(1L, 2L, 3L, 5L), run.frequencyCutoffs());
        assertEquals(List.of(3_000L, 5_000L, 8_000L, 15_000L), run.monetaryCutoffs());
        assertEquals(Set.of(m.get(6), m.get(8), m.get(9)), membersOf("R>=4 AND F>=4"));
        assertEquals(Set.of(m.get(0), m.get(1), m.get(4), m11), membersOf("region = 'seoul-" + tag + "' AND age 20-29"));
        assertEquals(Set.of(m.get(2), m.get(4), m.get(7), m.get(8), m.get(9)), membersOf("NOT (R <= 2) AND monetary >= 8000"));
        assertEquals(Set.of(m.get(3), m.get(4), m.get(5), m.get(8), m.get(9)), membersOf("frequency IN (2, 3) OR recency 1-2"));
        assertEquals(Set.of(m.get(0), m.get(1), m11), membersOf("churnRisk >= 0.7 AND region = 'SEOUL-" + tag + "'"));
        assertEquals(Set.of(m.get(8), m.get(9)), membersOf("tier = 'basic' AND F = 5 AND M >= 4"));
        assertEquals(Set.of(m.get(7)), membersOf("(region = '" + seoul + "' OR region = '" + busan + "') AND NOT age >= 0"
                + " OR region IN ('" + busan + "') AND age IN (12, 13) AND F = 4 AND frequency = 5"),
                "M6 and M12 have no age: NOT of a condition on it admits neither");
    }

    /** Each score, measure and current value of one member of the fixed history, and a member with nothing measured yet. */
    @Test
    void shouldShowAMembersAttributesAsTheRunMeasuredThem() {
        String region = "Attributes-" + UUID.randomUUID().toString().substring(0, 8);
        LocalDate day = LocalDate.of(1962, 1, 1);
        UUID bought = member(region, "1930-05-01", 6, 2, 2_000, day);
        UUID none = member(region, null, 0, 0, 0, day);

        runNow(day);

        JsonPath attributes = given().get("/v1/members/{memberId}/segment-attributes", bought).then().statusCode(200).extract().jsonPath()
                .using(new JsonPathConfig(JsonPathConfig.NumberReturnType.DOUBLE));
        assertEquals(day.toString(), attributes.getString("measuredAsOf"));
        assertEquals(2, attributes.getInt("recencyDays"));
        assertEquals(6, attributes.getInt("frequency"));
        assertEquals(12_000, attributes.getLong("monetary"));
        assertEquals(1, attributes.getInt("recencyScore"), "the only active member: every cutoff is its own value");
        assertEquals(1, attributes.getInt("frequencyScore"));
        assertEquals(1, attributes.getInt("monetaryScore"));
        assertEquals(31, attributes.getInt("age"));
        assertEquals(region, attributes.getString("region"));
        assertEquals("BASIC", attributes.getString("tier"));
        given().get("/v1/members/{memberId}/segment-attributes", none).then().statusCode(200)
                .body("frequency", equalTo(0)).body("monetary", equalTo(0)).body("recencyDays", nullValue())
                .body("recencyScore", nullValue()).body("age", nullValue()).body("churnRisk", nullValue());
        given().get("/v1/members/{memberId}/segment-attributes", UUID.randomUUID()).then().statusCode(404)
                .body("code", equalTo("MEMBER_NOT_FOUND"));
    }

    /** Earns for an amount are purchases, counted from the ledger itself, with points by the rule or given explicitly. */
    @Test
    void shouldMeasureTheEarnsOfTheLedgerAsPurchases() {
        UUID memberId = LedgerApi.enroll();
        LedgerApi.earnForAmount(memberId, UUID.randomUUID().toString(), 5_000).then().statusCode(201);
        LedgerApi.earnForAmount(memberId, UUID.randomUUID().toString(), 3_000).then().statusCode(201);
        LedgerApi.earnPoints(memberId, UUID.randomUUID().toString(), 700).then().statusCode(201);
        OffsetDateTime lastPurchase = Database.single(pool, "SELECT max(occurred_at) FROM transfers WHERE member_id = $1 "
                + "AND amount_minor_units > 0", memberId).getOffsetDateTime(0);
        LocalDate day = lastPurchase.atZoneSameInstant(ZoneOffset.UTC).toLocalDate().plusDays(1);

        runNow(day);

        given().get("/v1/members/{memberId}/segment-attributes", memberId).then().statusCode(200)
                .body("frequency", equalTo(3)).body("monetary", equalTo(8_100)).body("recencyDays", equalTo(1));
    }

    /**
     * One run is open at a time: while one is open (under another instance's claim, still
     * beating), four asked for at once are all refused, and so is one asked for over the API; a
     * run whose instance stopped is taken over from its last page by the next look, and the stopped
     * instance's claim writes nothing more.
     */
    @Test
    void shouldKeepOneRunOpenAtATimeAndTakeOverAStalledOne() {
        awaitNoOpenRun();
        UUID oldClaim = UUID.randomUUID();
        AttributeRun opened = repository.openRun(pool, UUID.randomUUID(), LocalDate.of(1960, 1, 1), 365,
                AttributeRun.Requested.SCHEDULE, oldClaim, false).await().atMost(WAIT).orElseThrow();
        SegmentRepository.OpenRun stopped = new SegmentRepository.OpenRun(opened.runId(), oldClaim, opened.asOf(), opened.windowDays(),
                SegmentRepository.FIRST_MEMBER_BOUND, 0);
        try {
            List<Uni<String>> asked = new ArrayList<>();
            for (int index = 0; index < 4; index++) {
                asked.add(runs.runNow(LocalDate.of(1961, 1, 1)).map(run -> "finished")
                        .onFailure(ProblemException.class).recoverWithItem(failure -> ((ProblemException) failure).code().name()));
            }
            assertEquals(Collections.nCopies(4, ErrorCode.SEGMENT_ATTRIBUTE_RUN_IN_PROGRESS.name()),
                    Uni.join().all(asked).andFailFast().await().atMost(WAIT));
            assertTrue(runs.runDue().await().atMost(WAIT).isEmpty(), "a run still beating is not taken over");
            given().post("/v1/admin/segment-attribute-runs").then().statusCode(409)
                    .body("code", equalTo("SEGMENT_ATTRIBUTE_RUN_IN_PROGRESS"));
        } finally {
            Database.execute(pool, "UPDATE segment_attribute_runs SET heartbeat_at = now() - interval '1 hour' WHERE run_id = $1",
                    opened.runId());
        }

        AttributeRun finished = runs.runDue().await().atMost(WAIT).orElseThrow();

        assertEquals(opened.runId(), finished.runId());
        assertEquals(AttributeRun.Status.FINISHED, finished.status());
        assertEquals(Database.single(pool, "SELECT count(*) FROM members WHERE erased_at IS NULL").getLong(0),
                finished.membersMeasured(), "every member measured once (none enrolls meanwhile)");
        assertFalse(repository.savePage(stopped, List.of(), UUID.randomUUID()).await().atMost(WAIT));
    }

    /**
     * A run taken over more often than allowed is closed as FAILED without cutoffs, so that it
     * blocks no later run, and segments go on scoring by the newest run that finished well.
     */
    @Test
    void shouldCloseARunTakenOverTooOftenAsFailed() {
        AttributeRun good = runNow(LocalDate.of(1958, 1, 1));
        AttributeRun opened = repository.openRun(pool, UUID.randomUUID(), LocalDate.of(1958, 6, 1), 365,
                AttributeRun.Requested.SCHEDULE, UUID.randomUUID(), false).await().atMost(WAIT).orElseThrow();
        Database.execute(pool, "UPDATE segment_attribute_runs SET heartbeat_at = now() - interval '1 hour', takeovers = $2 "
                + "WHERE run_id = $1", opened.runId(), config.runTakeoversMax());

        assertTrue(runs.runDue().await().atMost(WAIT).isEmpty());

        given().get("/v1/admin/segment-attribute-runs/{runId}", opened.runId()).then().statusCode(200)
                .body("status", equalTo("FAILED")).body("recencyCutoffDays", nullValue());
        assertEquals(good.asOf(), repository.latestFinishedDay().await().atMost(WAIT).orElseThrow());
    }

    /** An erased member is not measured: their attributes go with the erasure, and asking for them is 404. */
    @Test
    void shouldForgetAnErasedMembersAttributes() {
        UUID memberId = member("Erased-" + UUID.randomUUID().toString().substring(0, 8), "1950-01-01", 1, 3, 1_000,
                LocalDate.of(1959, 1, 1));
        runNow(LocalDate.of(1959, 1, 1));
        assertEquals(1, attributeRows(memberId));

        given().delete("/v1/members/{memberId}", memberId).then().statusCode(204);

        assertEquals(0, attributeRows(memberId));
        given().get("/v1/members/{memberId}/segment-attributes", memberId).then().statusCode(404);
        runNow(LocalDate.of(1959, 1, 1));
        assertEquals(0, attributeRows(memberId));
    }

    /** Saved, found with its count, changed against its version, listed, and refused with a code naming what is wrong. */
    @Test
    void shouldSaveChangeAndListSegments() {
        String tag = UUID.randomUUID().toString().substring(0, 8);
        UUID member = member("Saved-" + tag, null, 0, 0, 0);
        String name = "Saved " + tag;
        String location = given().contentType(ContentType.JSON).body(Map.of("name", name, "rule", "region = 'Saved-" + tag + "'"))
                .post("/v1/admin/segments").then().statusCode(201).body("version", equalTo(1)).body("description", nullValue())
                .extract().header("Location");
        given().get(location).then().statusCode(200).body("memberCount", equalTo(1)).body("segment.name", equalTo(name));
        given().get(location + "/members").then().statusCode(200).body("items[0].memberId", equalTo(member.toString()))
                .body("nextCursor", nullValue());
        given().contentType(ContentType.JSON).body(Map.of("name", name, "rule", "R >= 1"))
                .post("/v1/admin/segments").then().statusCode(409).body("code", equalTo("SEGMENT_NAME_TAKEN"));
        given().contentType(ContentType.JSON).body(Map.of("name", "Bad " + tag, "rule", "R >= 9"))
                .post("/v1/admin/segments").then().statusCode(400).body("code", equalTo("VALIDATION_FAILED"))
                .body("violations[0].field", equalTo("rule")).body("detail", containsString("from 1 to 5"));

        Map<String, Object> change = Map.of("name", name + " renamed", "description", "Nobody", "rule", "region = 'Nowhere-" + tag + "'");
        given().contentType(ContentType.JSON).body(change).put(location).then().statusCode(428).body("code", equalTo("IF_MATCH_REQUIRED"));
        given().contentType(ContentType.JSON).header("If-Match", "\"1\"").body(change).put(location).then().statusCode(200)
                .body("version", equalTo(2)).body("description", equalTo("Nobody"));
        given().contentType(ContentType.JSON).header("If-Match", "\"1\"").body(change).put(location).then().statusCode(412)
                .body("code", equalTo("SEGMENT_VERSION_MISMATCH"));
        given().get(location).then().statusCode(200).body("memberCount", equalTo(0));
        given().contentType(ContentType.JSON).header("If-Match", "*").body(change).put("/v1/admin/segments/{id}", UUID.randomUUID())
                .then().statusCode(404).body("code", equalTo("SEGMENT_NOT_FOUND"));

        String firstPage = given().queryParam("limit", 1).get("/v1/admin/segments").then().statusCode(200)
                .body("items.size()", equalTo(1)).extract().path("nextCursor");
        given().queryParam("limit", 1).queryParam("cursor", firstPage).get("/v1/admin/segments").then().statusCode(200);
    }

    /** A page of a segment's members goes on where the last one ended, in member id order, without a gap or a repeat. */
    @Test
    void shouldPageASegmentsMembersInIdOrder() {
        String region = "Paged-" + UUID.randomUUID().toString().substring(0, 8);
        Set<UUID> enrolled = new HashSet<>();
        for (int index = 0; index < 5; index++) {
            enrolled.add(member(region, null, 0, 0, 0));
        }
        String location = given().contentType(ContentType.JSON).body(Map.of("name", region, "rule", "region = '" + region + "'"))
                .post("/v1/admin/segments").then().statusCode(201).extract().header("Location");
        List<String> seen = new ArrayList<>();
        String cursor = null;
        do {
            JsonPath page = given().queryParam("limit", 2).queryParam("cursor", cursor == null ? "" : cursor).get(location + "/members")
                    .then().statusCode(200).extract().jsonPath();
            seen.addAll(page.getList("items.memberId"));
            cursor = page.getString("nextCursor");
        } while (cursor != null);

        assertEquals(enrolled, new HashSet<>(seen.stream().map(UUID::fromString).toList()));
        assertEquals(seen.stream().sorted().toList(), seen, "in id order");
    }

    /** A run asked for over the API measures in the background, and its progress and cutoffs can be followed. */
    @Test
    void shouldStartARunOverTheApiAndFollowItToItsEnd() throws InterruptedException {
        awaitNoOpenRun();
        String location = given().post("/v1/admin/segment-attribute-runs").then().statusCode(202)
                .body("requested", equalTo("REQUEST")).body("status", equalTo("RUNNING")).extract().header("Location");
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!"FINISHED".equals(given().get(location).then().statusCode(200).extract().path("status")) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        given().get(location).then().statusCode(200).body("status", equalTo("FINISHED"));
        given().get("/v1/admin/segment-attribute-runs").then().statusCode(200).body("items[0].runId", equalTo(
                location.substring(location.lastIndexOf('/') + 1)));
        given().get("/v1/admin/segment-attribute-runs/{runId}", UUID.randomUUID()).then().statusCode(404)
                .body("code", equalTo("SEGMENT_ATTRIBUTE_RUN_NOT_FOUND"));
    }

    private AttributeRun runNow(LocalDate day) {
        awaitNoOpenRun();
        return runs.runNow(day).await().atMost(WAIT);
    }

    /** Runs started over the API by other tests measure in the background; one open blocks the next. */
    private static void awaitNoOpenRun() {
        Segments.awaitNoOpenRun();
    }

    private Set<UUID> membersOf(String rule) {
        Set<UUID> members = new HashSet<>();
        repository.members(SegmentRule.parse(rule), SegmentRepository.FIRST_MEMBER_BOUND, 10_000).await().atMost(WAIT)
                .forEach(member -> members.add(member.memberId()));
        assertEquals((long) members.size(), repository.count(SegmentRule.parse(rule)).await().atMost(WAIT), "count of " + rule);
        return members;
    }

    /** A birth date {@code years} years and {@code months} months before AS_OF, moved by {@code days} days. */
    private static String born(int years, int months, int days) {
        return AS_OF.minusYears(years).plusMonths(months).plusDays(days).toString();
    }

    private UUID member(String region, String birthDate, int purchases, int daysSinceLast, long amountEach) {
        return member(region, birthDate, purchases, daysSinceLast, amountEach, AS_OF);
    }

    /** A member with {@code purchases} of {@code amountEach}, the last {@code daysSinceLast} days before {@code day}, a week apart. */
    private UUID member(String region, String birthDate, int purchases, int daysSinceLast, long amountEach, LocalDate day) {
        Map<String, Object> enrollment = new HashMap<>(Map.of("name", "Segment Member", "channel", "ONLINE", "region", region));
        if (birthDate != null) {
            enrollment.put("birthDate", birthDate);
        }
        UUID memberId = UUID.fromString(given().contentType(ContentType.JSON).body(enrollment).post("/v1/members")
                .then().statusCode(201).extract().path("memberId"));
        List<OffsetDateTime> times = new ArrayList<>();
        for (int purchase = 0; purchase < purchases; purchase++) {
            times.add(noon(day.minusDays(daysSinceLast + 7L * purchase)));
        }
        if (!times.isEmpty()) {
            HistoryLoader.record(pool, memberId, times, amountEach);
        }
        return memberId;
    }

    private static OffsetDateTime noon(LocalDate day) {
        return day.atTime(12, 0).atOffset(ZoneOffset.UTC);
    }

    private void churnScore(UUID memberId, double risk) {
        Database.execute(pool, "INSERT INTO churn_scores (member_id, model_version, as_of, risk) VALUES ($1, 1, $2, $3)",
                memberId, AS_OF, risk);
    }

    private long attributeRows(UUID memberId) {
        return Database.single(pool, "SELECT count(*) FROM member_segment_attributes WHERE member_id = $1", memberId).getLong(0);
    }
}
