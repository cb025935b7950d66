package io.pointsledger.reports;

import static io.pointsledger.support.LedgerApi.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.pointsledger.support.LedgerApi;
import io.pointsledger.support.Segments;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A report whose snapshot keeps the members left out, and does not know a member enrolled since,
 * past segment-unseen-members-max (none here), counts the segment again first: the report then
 * counts the new member, through the same request.
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

    private static JsonPath liability(String segmentId) {
        return given().queryParam("segmentId", segmentId).get("/v1/admin/reports/liability").then().statusCode(200).extract().jsonPath();
    }
}
