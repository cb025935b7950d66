package io.pointsledger.reports;

import static io.pointsledger.support.LedgerApi.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pointsledger.segments.SegmentSnapshot;
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
import java.time.OffsetDateTime;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
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
        assertNotNull(countedAt, "a narrowed report says when the members were counted");

        Database.execute(pool, "UPDATE members SET region = $2 WHERE member_id = $1", moves, elsewhere);
        JsonPath stillCounted = liability(segmentId);
        assertEquals(List.of(2, 140, countedAt), List.of(stillCounted.getInt("members"), stillCounted.getInt("outstandingPoints"),
                stillCounted.getString("segmentMembersAsOf")), "within the max age, the members as counted");

        Database.execute(owner.pool(), "UPDATE segment_member_snapshots SET taken_at = taken_at - interval '1 hour' WHERE segment_id = $1",
                UUID.fromString(segmentId));
        JsonPath recounted = liability(segmentId);
        assertEquals(List.of(1, 100), List.of(recounted.getInt("members"), recounted.getInt("outstandingPoints")));
        assertTrue(OffsetDateTime.parse(recounted.getString("segmentMembersAsOf")).isAfter(OffsetDateTime.parse(countedAt)));
        assertEquals(List.of(1L, 1L), List.of(snapshots(segmentId), snapshotMembers(segmentId)),
                "the snapshot older than twice the max age is gone, with its members");

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

    @Test
    void shouldCountASegmentOnceForReportsAskedAtTheSameTime() throws Exception {
        String region = "region-" + UUID.randomUUID();
        memberWithPoints(70, region);
        String segmentId = Segments.saved("region = '" + region + "'");

        List<String> countedAt = Concurrently.run(8, index -> liability(segmentId).getString("segmentMembersAsOf"));

        assertEquals(1, new HashSet<>(countedAt).size(), "every report read the same count: " + countedAt);
        assertEquals(1L, snapshots(segmentId), "one instance counted the members, the others waited for its count");
    }

    @Test
    void shouldRefuseToReadASnapshotNoLongerThere() {
        SegmentSnapshot replaced = new SegmentSnapshot(UUID.randomUUID(), UUID.randomUUID(), 1, OffsetDateTime.now(), 0);

        assertThrows(ReportRepository.SegmentSnapshotGone.class, () -> repository.inSnapshot(replaced,
                client -> repository.accountsByTier(client, null, replaced)).await().atMost(Duration.ofSeconds(30)));
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

    private long count(String statement, String segmentId) {
        return pool.preparedQuery(statement).execute(Tuple.of(UUID.fromString(segmentId))).await().atMost(Duration.ofSeconds(30))
                .iterator().next().getLong(0);
    }
}
