package io.pointsledger.reports;

import static io.pointsledger.support.LedgerApi.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pointsledger.support.LedgerApi;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Report answers are kept per query for the cache's lifetime, as in production (tests elsewhere see them fresh). */
@QuarkusTest
@TestProfile(ReportCacheTest.AnswersKept.class)
class ReportCacheTest {

    public static class AnswersKept implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.cache.caffeine.\"reports\".expire-after-write", "PT10M");
        }
    }

    /** A report asked again answers what it answered, an earn later; another query is computed afresh and sees the earn. */
    @Test
    void shouldAnswerAQueryAskedAgainFromWhatItComputedAndAnotherQueryAfresh() {
        long before = given().get("/v1/admin/reports/liability").then().statusCode(200).extract().jsonPath().getLong("outstandingPoints");
        UUID member = LedgerApi.enroll();
        LedgerApi.earnForAmount(member, UUID.randomUUID().toString(), 50_000).then().statusCode(201);
        long earned = LedgerApi.available(member);

        assertEquals(before, given().get("/v1/admin/reports/liability").then().statusCode(200).extract().jsonPath().getLong("outstandingPoints"),
                "the same query, answered from what was computed");
        long basic = given().queryParam("tier", "BASIC").get("/v1/admin/reports/liability").then().statusCode(200).extract().jsonPath()
                .getLong("outstandingPoints");
        assertTrue(earned > 0 && basic >= earned, "another query computed afresh, with the new member's points: " + basic);
    }
}
