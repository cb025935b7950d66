package io.pointsledger.segments;

import static io.pointsledger.support.LedgerApi.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pointsledger.support.LedgerApi;
import io.pointsledger.support.Segments;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Campaigns, offers and announcements that name a segment reach its members and no one else. The
 * segments here select by region, a value every member has at once, so no attribute run is needed.
 */
@QuarkusTest
class SegmentUseTest {

    private static final Duration PLANNING_WAIT = Duration.ofSeconds(20);

    /** A campaign naming a segment adds its bonus to the purchases of the segment's members only, decided on the write path. */
    @Test
    void shouldGiveACampaignsBonusOnlyToMembersOfItsSegment() {
        String region = region();
        UUID inside = member(region);
        UUID outside = member("Elsewhere-" + region);
        String segmentId = Segments.saved("region = '" + region + "'");
        String campaignId = given().contentType(ContentType.JSON).body(Map.of("name", "Segment bonus " + region, "trigger", "PURCHASE",
                        "priority", 1, "conditions", Map.of("segmentId", segmentId), "effect", Map.of("bonusPoints", 50)))
                .post("/v1/admin/campaigns").then().statusCode(201).extract().path("campaignId");
        given().post("/v1/admin/campaigns/{id}/activate", campaignId).then().statusCode(200);
        try {
            long insideEarned = earned(inside);
            long outsideEarned = earned(outside);

            assertEquals(outsideEarned + 50, insideEarned, "the same purchase, 50 points more for the segment's member");
        } finally {
            given().post("/v1/admin/campaigns/{id}/end", campaignId).then().statusCode(200);
        }
        LedgerApi.assertReconciles();
    }

    /** An offer for a segment is in the offers of its members only. */
    @Test
    void shouldShowAnOfferForASegmentOnlyToItsMembers() {
        String region = region();
        UUID inside = member(region);
        UUID outside = member("Elsewhere-" + region);
        String segmentId = Segments.saved("region = '" + region + "'");
        String offerId = given().contentType(ContentType.JSON).body(Map.of("name", "For " + region, "kind", "DISCOUNT",
                        "percentOffBasisPoints", 1_000, "eligibility", Map.of("segmentId", segmentId)))
                .post("/v1/admin/offers").then().statusCode(201).body("definition.eligibility.segmentId", equalTo(segmentId))
                .extract().path("offerId");
        try {
            given().get("/v1/members/{id}/offers", inside).then().statusCode(200).body("offers.offerId", hasItem(offerId));
            given().get("/v1/members/{id}/offers", outside).then().statusCode(200).body("offers.offerId", not(hasItem(offerId)));
        } finally {
            given().post("/v1/admin/offers/{id}/end", offerId).then().statusCode(200);
        }
    }

    /** An announcement to a segment plans a message for each of its members, whoever else is enrolled. */
    @Test
    void shouldPlanAnAnnouncementToASegmentForItsMembersOnly() {
        String region = region();
        List<UUID> inside = List.of(member(region), member(region), member(region));
        member("Elsewhere-" + region);
        String segmentId = Segments.saved("region = '" + region + "'");
        String announcementId = given().contentType(ContentType.JSON).header("Idempotency-Key", UUID.randomUUID().toString())
                .body(Map.of("contents", Map.of("en", Map.of("title", "For you", "body", "Members of " + region)),
                        "defaultLanguage", "en", "audience", Map.of("segmentId", segmentId)))
                .post("/v1/admin/announcements").then().statusCode(202).body("audience.segmentId", equalTo(segmentId))
                .extract().path("announcementId");

        await().atMost(PLANNING_WAIT).until(() -> !"PLANNING".equals(given().get("/v1/admin/announcements/{id}", announcementId)
                .then().statusCode(200).extract().path("status")));

        given().get("/v1/admin/announcements/{id}", announcementId).then().statusCode(200)
                .body("membersPlanned", equalTo(inside.size()));
    }

    /** A segment that does not exist is refused where it is named, and nothing is made. */
    @Test
    void shouldRefuseAnUnknownSegmentWhereverItIsNamed() {
        String unknown = UUID.randomUUID().toString();
        given().contentType(ContentType.JSON).body(Map.of("name", "Unknown segment", "trigger", "PURCHASE", "priority", 1,
                        "conditions", Map.of("segmentId", unknown), "effect", Map.of("bonusPoints", 50)))
                .post("/v1/admin/campaigns").then().statusCode(404).body("code", equalTo("SEGMENT_NOT_FOUND"));
        given().contentType(ContentType.JSON).body(Map.of("name", "Unknown segment", "kind", "DISCOUNT", "percentOffBasisPoints", 1_000,
                        "eligibility", Map.of("segmentId", unknown)))
                .post("/v1/admin/offers").then().statusCode(404).body("code", equalTo("SEGMENT_NOT_FOUND"));
        given().contentType(ContentType.JSON).header("Idempotency-Key", UUID.randomUUID().toString())
                .body(Map.of("contents", Map.of("en", Map.of("title", "t", "body", "b")), "defaultLanguage", "en",
                        "audience", Map.of("segmentId", unknown)))
                .post("/v1/admin/announcements").then().statusCode(404).body("code", equalTo("SEGMENT_NOT_FOUND"));
        given().contentType(ContentType.JSON).header("Idempotency-Key", UUID.randomUUID().toString())
                .body(Map.of("contents", Map.of("en", Map.of("title", "t", "body", "b")), "defaultLanguage", "en",
                        "audience", Map.of("segmentId", unknown, "tiers", List.of("GOLD"))))
                .post("/v1/admin/announcements").then().statusCode(400).body("violations[0].field", equalTo("audience"));
    }

    private static long earned(UUID memberId) {
        return ((Number) LedgerApi.earnForAmount(memberId, UUID.randomUUID().toString(), 10_000).then().statusCode(201)
                .extract().path("points")).longValue();
    }

    private static UUID member(String region) {
        return UUID.fromString(given().contentType(ContentType.JSON).body(Map.of("name", "Segment Use", "channel", "ONLINE",
                "region", region)).post("/v1/members").then().statusCode(201).extract().path("memberId"));
    }

    private static String region() {
        return "Use-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
