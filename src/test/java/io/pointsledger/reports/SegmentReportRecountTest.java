package io.pointsledger.reports;

import static io.pointsledger.support.LedgerApi.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pointsledger.support.Database;
import io.pointsledger.support.LedgerApi;
import io.pointsledger.support.OwnerDatabase;
import io.pointsledger.support.ProblemAssertions;
import io.pointsledger.support.Segments;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A report whose snapshot keeps the members left out, and does not know a member enrolled since,
 * past segment-unseen-members-max (none here), counts the segment again first: the report then
 * counts the new member, through the same request; when members enrol faster than it counts,
 * the report is refused for a moment rather than answered without them.
 */
@QuarkusTest
@TestProfile(SegmentReportRecountTest.NoUnseenMember.class)
class SegmentReportRecountTest {

    public static class NoUnseenMember implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("points-ledger.reports.segment-unseen-members-max", "0");
        }
    }

    @Inject
    OwnerDatabase owner;

    @Test
    void shouldCountASegmentAgainWhenMoreMembersEnrolledSinceItsCountThanAReportLeavesOut() {
        for (int member = 0; member < 3; member++) {
            LedgerApi.enrollWithPoints(10);
        }
        String segmentId = Segments.saved("tier IN ('BASIC', 'SILVER', 'GOLD')");
        JsonPath counted = liability(segmentId);

        LedgerApi.enrollWithPoints(25);
        JsonPath recounted = liability(segmentId);

        assertNotEquals(counted.getString("segmentMembersAsOf"), recounted.getString("segmentMembersAsOf"), "counted again");
        assertEquals(List.of(counted.getLong("members") + 1, counted.getLong("outstandingPoints") + 25),
                List.of(recounted.getLong("members"), recounted.getLong("outstandingPoints")), "the member enrolled since, counted");
        assertEquals(recounted.getString("segmentMembersAsOf"), liability(segmentId).getString("segmentMembersAsOf"),
                "no member enrolled since the new count: read as it is");
    }

    /**
     * The count a report makes again is out of date at once when a member enrols between it and
     * the report's read: the answer is then a 503 with Retry-After, not a report that leaves the
     * member out. The count's statistics, updated once it commits, wait here for a lock the test
     * holds on the snapshots' members, so that the member enrols exactly in that moment.
     */
    @Test
    void shouldAnswerServiceUnavailableWhenTheSegmentIsOutOfDateAgainRightAfterItsRecount() throws Exception {
        LedgerApi.enrollWithPoints(10);
        String segmentId = Segments.saved("tier IN ('BASIC', 'SILVER', 'GOLD')");
        liability(segmentId);
        LedgerApi.enrollWithPoints(5);

        SqlConnection connection = owner.pool().getConnectionAndAwait();
        Transaction holdingTheStatistics = connection.beginAndAwait();
        CompletableFuture<Response> answer;
        try {
            connection.query("LOCK TABLE segment_snapshot_members IN SHARE UPDATE EXCLUSIVE MODE").executeAndAwait();
            answer = CompletableFuture.supplyAsync(() -> given().queryParam("segmentId", segmentId).get("/v1/admin/reports/liability"));
            awaitTheRecountsStatistics();
            LedgerApi.enrollWithPoints(7);
        } finally {
            holdingTheStatistics.rollbackAndAwait();
            connection.closeAndAwait();
        }

        Response refused = answer.get(30, TimeUnit.SECONDS);
        ProblemAssertions.assertProblem(refused, 503, "SERVICE_UNAVAILABLE", null);
        assertNotNull(refused.header("Retry-After"), "says when to retry");
        assertEquals(200, given().queryParam("segmentId", segmentId).get("/v1/admin/reports/liability").statusCode(),
                "the next report counts once more and reads it");
    }

    /** Waits until the recount has committed and its ANALYZE waits for the test's lock. */
    private void awaitTheRecountsStatistics() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (Database.single(owner.pool(), "SELECT count(*) FROM pg_locks WHERE relation = 'segment_snapshot_members'::regclass"
                + " AND mode = 'ShareUpdateExclusiveLock' AND NOT granted").getLong(0) == 0) {
            assertTrue(System.nanoTime() < deadline, "the recount's statistics never waited for the lock");
            Thread.sleep(20);
        }
    }

    private static JsonPath liability(String segmentId) {
        return given().queryParam("segmentId", segmentId).get("/v1/admin/reports/liability").then().statusCode(200).extract().jsonPath();
    }
}
