package io.pointsledger.reports;

import static io.pointsledger.support.LedgerApi.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.pointsledger.program.ProgramConfig;
import io.pointsledger.segments.SegmentSnapshot;
import io.pointsledger.segments.SegmentSnapshots;
import io.pointsledger.support.Concurrently;
import io.pointsledger.support.Database;
import io.pointsledger.support.LedgerApi;
import io.pointsledger.support.OwnerDatabase;
import io.pointsledger.support.Segments;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A report narrowed to a segment reads the segment's members as they were counted (a snapshot),
 * and says when: counted again when the snapshot is older than snapshot-max-age (15 minutes
 * here) or the rule changed, once however many reports ask at the same time.
 */
@QuarkusTest
class SegmentReportSnapshotTest {

    @Inject
    Pool pool;

    @Inject
    OwnerDatabase owner;

    @Inject
    ReportRepository repository;

    @Inject
    SegmentSnapshots snapshots;

    @Inject
    ReportRollups rollups;

    @Inject
    ProgramConfig program;

    @Test
    void shouldReadTheMembersAsCountedUntilTheCountAgesOutOrTheRuleChanges() {
        String region = "region-" + UUID.randomUUID();
        String elsewhere = "elsewhere-" + UUID.randomUUID();
        memberWithPoints(100, region);
        UUID moves = memberWithPoints(40, region);
        String segmentId = Segments.saved("region = '" + region + "'");

        JsonPath first = liability(segmentId);
        assertEquals(List.of(2, 140), List.of(first.getInt("members"), first.getInt("outstandingPoints")));
        String countedAt = first.getString("segmentMembersAsOf");
        assertEquals(List.of(false), listOf("SELECT complement FROM segment_member_snapshots WHERE segment_id = $1", segmentId),
                "a segment of few members keeps those it admits");
        assertNotNull(countedAt, "a narrowed report says when the members were counted");

        Database.execute(pool, "UPDATE members SET region = $2 WHERE member_id = $1", moves, elsewhere);
        JsonPath stillCounted = liability(segmentId);
        assertEquals(List.of(2, 140, countedAt), List.of(stillCounted.getInt("members"), stillCounted.getInt("outstandingPoints"),
                stillCounted.getString("segmentMembersAsOf")), "within the max age, the members as counted");

        List<Object> aged = listOf("SELECT snapshot_id FROM segment_member_snapshots WHERE segment_id = $1", segmentId);
        Database.execute(owner.pool(), "UPDATE segment_member_snapshots SET taken_at = taken_at - interval '1 hour' WHERE segment_id = $1",
                UUID.fromString(segmentId));
        JsonPath recounted = liability(segmentId);
        assertEquals(List.of(1, 100), List.of(recounted.getInt("members"), recounted.getInt("outstandingPoints")));
        assertTrue(OffsetDateTime.parse(recounted.getString("segmentMembersAsOf")).isAfter(OffsetDateTime.parse(countedAt)));
        assertEquals(List.of(1L, 1L), List.of(snapshots(segmentId), snapshotMembers(segmentId)),
                "the snapshot older than twice the max age is gone, with its members");
        assertEquals(0L, Database.single(pool, "SELECT count(*) FROM segment_snapshot_members WHERE snapshot_id = $1", aged.get(0))
                .getLong(0), "none of its members left behind");

        int version = given().get("/v1/admin/segments/" + segmentId).then().statusCode(200).extract().path("segment.version");
        given().contentType("application/json").header("If-Match", "\"" + version + "\"")
                .body(Map.of("name", "Segment " + UUID.randomUUID(), "rule", "region = '" + region + "' OR region = '" + elsewhere + "'"))
                .put("/v1/admin/segments/" + segmentId).then().statusCode(200);
        JsonPath ofTheNewRule = liability(segmentId);
        assertEquals(List.of(2, 140), List.of(ofTheNewRule.getInt("members"), ofTheNewRule.getInt("outstandingPoints")),
                "the changed rule is counted at once, both members again");
        given().queryParam("segmentId", segmentId).queryParam("tier", "BASIC").get("/v1/admin/reports/liability").then().statusCode(200)
                .body("segmentMembersAsOf", equalTo(ofTheNewRule.getString("segmentMembersAsOf")));
    }

    /**
     * A segment admitting most members keeps those it does not admit (the complement): here the
     * erased, as the rule admits every tier. A member enrolled after the count is not one it saw,
     * so no report counts them until the next count; one enrolled just before it is, kept as
     * admitted.
     */
    @Test
    void shouldCountTheMembersOfALargeSegmentByTheOnesItLeavesOut() {
        UUID erased = LedgerApi.enrollWithPoints(50);
        given().delete("/v1/members/{memberId}", erased).then().statusCode(204);
        for (int member = 0; member < 3; member++) {
            LedgerApi.enrollWithPoints(30); // more members than erased ones, even in a database of this test alone
        }
        String segmentId = Segments.saved("tier IN ('BASIC', 'SILVER', 'GOLD')");
        long notErased = count("SELECT count(*) FROM members m JOIN member_accounts a USING (member_id)"
                + " WHERE m.erased_at IS NULL AND $1::uuid IS NOT NULL", segmentId);

        JsonPath counted = liability(segmentId);
        assertEquals(notErased, counted.getLong("members"), "every member not erased, the one enrolled a moment ago too");
        assertEquals(List.of(true), listOf("SELECT complement FROM segment_member_snapshots WHERE segment_id = $1", segmentId),
                "more than half the members are admitted: the snapshot keeps the others");

        LedgerApi.enrollWithPoints(70);
        JsonPath later = liability(segmentId);
        assertEquals(List.of(counted.getLong("members"), counted.getLong("outstandingPoints"), counted.getString("segmentMembersAsOf")),
                List.of(later.getLong("members"), later.getLong("outstandingPoints"), later.getString("segmentMembersAsOf")),
                "the member enrolled after the count is not in the report until the next count");
    }

    /** A segment reports read is counted again in the background once its count is half the max age, before a report waits for it. */
    @Test
    void shouldCountAgainAheadOfTheMaxAgeTheSegmentsReportsRead() {
        String region = "region-" + UUID.randomUUID();
        UUID member = memberWithPoints(60, region);
        String segmentId = Segments.saved("region = '" + region + "'");
        String countedAt = liability(segmentId).getString("segmentMembersAsOf");
        Database.execute(pool, "UPDATE members SET region = 'elsewhere-' || $2 WHERE member_id = $1", member, region);
        Database.execute(owner.pool(), "UPDATE segment_member_snapshots SET taken_at = taken_at - interval '10 minutes' WHERE segment_id = $1",
                UUID.fromString(segmentId));
        assertEquals(1, liability(segmentId).getInt("members"), "10 minutes old: still the count of 15 minutes at most");

        snapshots.refreshAhead().await().atMost(Duration.ofSeconds(60));

        JsonPath after = liability(segmentId);
        assertEquals(0, after.getInt("members"), "counted again, without the member who moved away");
        assertTrue(OffsetDateTime.parse(after.getString("segmentMembersAsOf")).isAfter(OffsetDateTime.parse(countedAt)));
        assertEquals(2L, snapshots(segmentId), "the count before stays for the reports that were given it, until twice the max age");
    }

    @Test
    void shouldCountASegmentOnceForReportsAskedAtTheSameTime() throws Exception {
        String region = "region-" + UUID.randomUUID();
        memberWithPoints(70, region);
        String segmentId = Segments.saved("region = '" + region + "'");
        // Its count on save aged out: the eight reports find no count, and one of them counts.
        awaitTheCountOnSave(segmentId);
        Database.execute(owner.pool(), "UPDATE segment_member_snapshots SET taken_at = taken_at - interval '1 hour' WHERE segment_id = $1",
                UUID.fromString(segmentId));

        List<String> countedAt = Concurrently.run(8, index -> liability(segmentId).getString("segmentMembersAsOf"));

        assertEquals(1, new HashSet<>(countedAt).size(), "every report read the same count: " + countedAt);
        assertEquals(1L, snapshots(segmentId), "one instance counted the members, the others waited for its count");
    }

    @Test
    void shouldStartAReportAgainOnANewerCountWhenItsSnapshotIsNoLongerThere() {
        memberWithPoints(20, "region-" + UUID.randomUUID());
        String segmentId = Segments.saved("tier IN ('BASIC')");
        SegmentSnapshot counted = snapshots.fresh(UUID.fromString(segmentId)).await().atMost(Duration.ofSeconds(60));
        Database.execute(owner.pool(), "DELETE FROM segment_member_snapshots WHERE snapshot_id = $1", counted.snapshotId());

        ReportRepository.SegmentSnapshotOutOfDate outOfDate = assertThrows(ReportRepository.SegmentSnapshotOutOfDate.class,
                () -> repository.inSnapshot(counted, (client, members) -> repository.accountsByTier(client, null, members))
                        .await().atMost(Duration.ofSeconds(30)));
        SegmentSnapshot newer = snapshots.recount(outOfDate.snapshot()).await().atMost(Duration.ofSeconds(60));

        assertTrue(newer.takenAt().isAfter(counted.takenAt()), "counted again: " + newer);
        assertEquals(counted.members(), newer.members());
        assertEquals(newer, snapshots.recount(counted).await().atMost(Duration.ofSeconds(60)),
                "a second report that found the same snapshot out of date reads the newer count, not a third");
    }

    /**
     * Once a segment is counted, the buyers of its settled months (segment-months-summed of them,
     * 24) are summed in the background for the members report (SegmentMonthSumsTest shows what
     * the report reads from them).
     */
    @Test
    void shouldSumTheSettledMonthsOfASegmentOnceItsMembersAreCounted() throws InterruptedException {
        rollups.rollUpSlices().await().atMost(Duration.ofSeconds(60));
        Optional<ReportRepository.RolledRun> rolled = repository.rolledRun(pool, program.timeZone()).await().atMost(Duration.ofSeconds(30));
        assumeTrue(rolled.isPresent(), "nothing rolled up yet (the first minutes of a day in a new database): no month is settled");
        LocalDate settledBefore = ReportRepository.settledMonthsBefore(rolled.get().through().atZoneSameInstant(program.timeZone()).toLocalDate());
        String region = "region-" + UUID.randomUUID();
        UUID member = memberWithPoints(15, region);
        // A purchase in the last settled month, as the rollups would have noted it.
        Database.execute(owner.pool(), "INSERT INTO report_member_months (month, member_id, first_day) VALUES ($1, $2, $1)",
                settledBefore.minusMonths(1), member);
        String segmentId = Segments.saved("region = '" + region + "'");

        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        List<Object> summed = listOf("SELECT months_summed_before FROM segment_member_snapshots WHERE segment_id = $1", segmentId);
        while ((summed.isEmpty() || summed.get(0) == null) && System.nanoTime() < deadline) {
            Thread.sleep(20);
            summed = listOf("SELECT months_summed_before FROM segment_member_snapshots WHERE segment_id = $1", segmentId);
        }

        // The rollups may have reached a new month between the test's look and the sum's.
        LocalDate summedBefore = summed.isEmpty() ? null : (LocalDate) summed.get(0);
        assertTrue(settledBefore.equals(summedBefore) || settledBefore.plusMonths(1).equals(summedBefore),
                "the months before the first one purchases can still change: " + summed + ", " + settledBefore);
        assertEquals(List.of(summedBefore.minusMonths(24)),
                listOf("SELECT months_summed_from FROM segment_member_snapshots WHERE segment_id = $1", segmentId), "24 of them");
        assertEquals(List.of(settledBefore.minusMonths(1)), listOf("SELECT x.month FROM segment_snapshot_member_months x"
                + " JOIN segment_member_snapshots s USING (snapshot_id) WHERE s.segment_id = $1 AND x.members = 1", segmentId),
                "the member's purchase summed");
    }

    /** A segment is counted once saved, in the background, with no report asking. */
    @Test
    void shouldCountASegmentOnceSavedAndAgainOnceItsRuleChanges() throws InterruptedException {
        String region = "region-" + UUID.randomUUID();
        memberWithPoints(35, region);
        String segmentId = Segments.saved("region = '" + region + "'");
        awaitTheCountOnSave(segmentId);
        assertEquals(List.of(1L), listOf("SELECT members FROM segment_member_snapshots WHERE segment_id = $1", segmentId));

        int version = given().get("/v1/admin/segments/" + segmentId).then().statusCode(200).extract().path("segment.version");
        given().contentType("application/json").header("If-Match", "\"" + version + "\"")
                .body(Map.of("name", "Segment " + UUID.randomUUID(), "rule", "region = 'elsewhere-" + region + "'"))
                .put("/v1/admin/segments/" + segmentId).then().statusCode(200);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (snapshots(segmentId) < 2 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(List.of(0L), listOf("SELECT members FROM segment_member_snapshots WHERE segment_id = $1 AND segment_version = $2",
                segmentId, (long) version + 1), "the changed rule counted too, before any report");
        assertEquals(0, liability(segmentId).getInt("members"));
        assertEquals(2L, snapshots(segmentId), "the report read the count of the save");
    }

    /** Waits for the count a segment's save starts. */
    private void awaitTheCountOnSave(String segmentId) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (snapshots(segmentId) == 0) {
            assertTrue(System.nanoTime() < deadline, "the segment was never counted once saved");
            Thread.sleep(20);
        }
    }

    private static JsonPath liability(String segmentId) {
        return given().queryParam("segmentId", segmentId).get("/v1/admin/reports/liability").then().statusCode(200).extract().jsonPath();
    }

    private UUID memberWithPoints(long points, String region) {
        UUID member = LedgerApi.enrollWithPoints(points);
        Database.execute(pool, "UPDATE members SET region = $2 WHERE member_id = $1", member, region);
        return member;
    }

    private long snapshots(String segmentId) {
        return count("SELECT count(*) FROM segment_member_snapshots WHERE segment_id = $1", segmentId);
    }

    private long snapshotMembers(String segmentId) {
        return count("SELECT count(*) FROM segment_snapshot_members m JOIN segment_member_snapshots s USING (snapshot_id)"
                + " WHERE s.segment_id = $1", segmentId);
    }

    private List<Object> listOf(String statement, String segmentId, Object... more) {
        List<Object> values = new java.util.ArrayList<>();
        Tuple arguments = Tuple.of(UUID.fromString(segmentId));
        for (Object value : more) {
            arguments.addValue(value);
        }
        pool.preparedQuery(statement).execute(arguments).await().atMost(Duration.ofSeconds(30))
                .forEach(row -> values.add(row.getValue(0)));
        return values;
    }

    private long count(String statement, String segmentId) {
        return pool.preparedQuery(statement).execute(Tuple.of(UUID.fromString(segmentId))).await().atMost(Duration.ofSeconds(30))
                .iterator().next().getLong(0);
    }
}
