package io.pointsledger.support;

import static io.pointsledger.support.LedgerApi.given;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Surveys for tests of other capabilities. */
public final class Surveys {

    private Surveys() {
    }

    /** A survey every member (a BASIC one) answers once, of a rating and a text question, paying 5 points; its id. */
    public static String forEveryBasicMember() {
        String segmentId = Segments.saved("tier = 'BASIC'");
        return given().contentType("application/json").body(Map.of("name", "Survey " + UUID.randomUUID(), "trigger", "SEGMENT",
                        "segmentId", segmentId, "rewardPoints", 5,
                        "questions", List.of(Map.of("id", "overall", "kind", "RATING", "text", "How are we doing?", "required", true),
                                Map.of("id", "comment", "kind", "TEXT", "text", "Anything else?"))))
                .post("/v1/admin/surveys").then().statusCode(201).extract().path("surveyId");
    }

    /** A fresh member's answer to {@code surveyId}. */
    public static void answered(String surveyId) {
        given().contentType("application/json").body(Map.of("surveyId", surveyId, "answers", Map.of("overall", 4, "comment", "Fine")))
                .post("/v1/members/{memberId}/survey-responses", LedgerApi.enroll()).then().statusCode(201);
    }
}
