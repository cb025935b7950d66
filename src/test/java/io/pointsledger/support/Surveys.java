package io.pointsledger.support;

import static io.pointsledger.support.LedgerApi.given;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Surveys for tests of other capabilities. */
public final class Surveys {

    private Surveys() {
    }

    /** A region of its own, for a survey's segment: counting its members counts a handful, not the database. */
    public static String region() {
        return "Survey-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** A survey the members of {@code region} answer once, of a rating and a text question, paying 5 points; its id. */
    public static String forMembersOf(String region) {
        String segmentId = Segments.saved("region = '" + region + "'");
        return given().contentType("application/json").body(Map.of("name", "Survey " + UUID.randomUUID(), "trigger", "SEGMENT",
                        "segmentId", segmentId, "rewardPoints", 5,
                        "questions", List.of(Map.of("id", "overall", "kind", "RATING", "text", "How are we doing?", "required", true),
                                Map.of("id", "comment", "kind", "TEXT", "text", "Anything else?"))))
                .post("/v1/admin/surveys").then().statusCode(201).extract().path("surveyId");
    }

    /** A fresh member of {@code region}; their id. */
    public static UUID memberOf(String region) {
        return UUID.fromString(given().contentType("application/json").body(Map.of("name", "Surveyed", "channel", "ONLINE", "region", region))
                .post("/v1/members").then().statusCode(201).extract().path("memberId"));
    }

    /** A fresh member's answer to {@code surveyId}, the survey of {@code region}'s members. */
    public static void answered(String surveyId, String region) {
        given().contentType("application/json").body(Map.of("surveyId", surveyId, "answers", Map.of("overall", 4, "comment", "Fine")))
                .post("/v1/members/{memberId}/survey-responses", memberOf(region)).then().statusCode(201);
    }
}
