package io.pointsledger.campaigns;

import static io.pointsledger.support.LedgerApi.earn;
import static io.pointsledger.support.LedgerApi.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.pointsledger.support.Database;
import io.pointsledger.support.LedgerApi;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.path.json.config.JsonPathConfig;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A campaign run as an A/B test: each member gets their variant's effect, the first exposure is
 * recorded with the earn, and the report's numbers are those computed by hand.
 */
@QuarkusTest
class ExperimentTest {

    private static final double TOLERANCE = 1e-9;
    private static final double Z_95 = 1.959963984540054;

    private final List<String> campaigns = new ArrayList<>();

    @Inject
    Pool pool;

    @AfterEach
    void endCampaigns() {
        TestCampaigns.endAll(campaigns);
    }

    @Test
    void shouldGiveEachMemberTheirVariantsEffectAndRecordTheFirstExposure() {
        String sku = "SKU-AB-" + UUID.randomUUID();
        String campaignId = TestCampaigns.activate(campaigns, experiment(sku));
        List<CampaignVariant> variants = List.of(new CampaignVariant("holdout", 5_000, true, null),
                new CampaignVariant("seven", 5_000, false, new CampaignEffect(null, 7L, null)));

        for (int index = 0; index < 20; index++) {
            UUID memberId = LedgerApi.enroll();
            String variant = VariantAssignment.of(UUID.fromString(campaignId), memberId, variants).name();
            int bonus = "seven".equals(variant) ? 7 : 0;
            earn(memberId, "ab-1-" + memberId, TestCampaigns.purchase(sku, null)).then().statusCode(201)
                    .body("points", equalTo(20 + bonus));
            earn(memberId, "ab-2-" + memberId, TestCampaigns.purchase(sku, null)).then().statusCode(201)
                    .body("points", equalTo(20 + bonus));
            var exposure = Database.single(pool, "SELECT variant, bonus_points FROM campaign_exposures "
                    + "WHERE member_id = $1 AND campaign_id = $2", memberId, UUID.fromString(campaignId));
            assertEquals(variant, exposure.getString("variant"), "recorded at the first exposure");
            assertEquals(2L * bonus, exposure.getLong("bonus_points"), "the bonus points of both earns");
        }
        given().contentType(ContentType.JSON).header("If-Match", "*").body(Map.of("name", "moved", "trigger", "PURCHASE",
                        "priority", 1, "conditions", Map.of("skus", List.of(sku)), "variants", List.of(
                                Map.of("name", "holdout", "shareBasisPoints", 1_000, "control", true),
                                Map.of("name", "seven", "shareBasisPoints", 9_000, "effect", Map.of("bonusPoints", 7)))))
                .put("/v1/admin/campaigns/{id}", campaignId).then().statusCode(409).body("code", equalTo("CAMPAIGN_STATE_CONFLICT"));
        LedgerApi.assertReconciles();
    }

    /** A holdout applies as far as stacking goes: an exclusive campaign after it is left out, as for the other variant. */
    @Test
    void shouldKeepAnExclusiveCampaignAfterTheTestOutOfItsHoldoutAsOutOfItsOtherVariants() {
        String sku = "SKU-AB-STACK-" + UUID.randomUUID();
        String campaignId = TestCampaigns.activate(campaigns, experiment(sku));
        TestCampaigns.activate(campaigns, TestCampaigns.campaign("exclusive after", 1, true, Map.of("skus", List.of(sku)),
                Map.of("bonusPoints", 100)));
        List<CampaignVariant> variants = List.of(new CampaignVariant("holdout", 5_000, true, null),
                new CampaignVariant("seven", 5_000, false, new CampaignEffect(null, 7L, null)));
        UUID holdoutMember = LedgerApi.enroll();
        while (!"holdout".equals(VariantAssignment.of(UUID.fromString(campaignId), holdoutMember, variants).name())) {
            holdoutMember = LedgerApi.enroll();
        }

        earn(holdoutMember, "stack-" + holdoutMember, TestCampaigns.purchase(sku, null)).then().statusCode(201)
                .body("points", equalTo(20)).body("bonuses", equalTo(List.of()));
        assertEquals("holdout", Database.single(pool, "SELECT variant FROM campaign_exposures WHERE member_id = $1",
                holdoutMember).getString(0));
    }

    /**
     * Two members in each variant, exposed now (the data set is written directly), then
     * earning and redeeming: the report's numbers against the same numbers worked out here.
     */
    @Test
    void shouldReportWhatAHandComputationGivesOnAFixedDataSet() {
        String campaignId = TestCampaigns.activate(campaigns, experiment("SKU-AB-REPORT-" + UUID.randomUUID()));
        UUID holdoutA = exposed(campaignId, "holdout", 0);
        UUID holdoutB = exposed(campaignId, "holdout", 0);
        UUID sevenA = exposed(campaignId, "seven", 7);
        UUID sevenB = exposed(campaignId, "seven", 14);
        spend(holdoutA, 1_000);
        spend(holdoutB, 3_000);
        spend(sevenA, 2_000);
        spend(sevenA, 4_000);
        spend(sevenB, 8_000);
        LedgerApi.redeem(sevenB, "ab-redeem-" + sevenB, 10).then().statusCode(201);

        // Numbers read as doubles: the default (float) would round the bounds.
        JsonPath report = new JsonPath(given().get("/v1/admin/experiments/{id}/report", campaignId).then().statusCode(200)
                .body("control", equalTo("holdout")).extract().asString())
                .using(new JsonPathConfig(JsonPathConfig.NumberReturnType.DOUBLE));

        // holdout: spends 1 000 and 3 000: mean 2 000, sample variance 2 000 000; nobody redeemed; no bonus.
        // seven: spends 6 000 and 8 000: mean 7 000, sample variance 2 000 000; one of two redeemed; 21 points / 2.
        assertEquals(2, report.getLong("variants[1].membersExposed"));
        assertEquals(2_000.0, report.getDouble("variants[0].spendPerMember"), TOLERANCE);
        assertEquals(7_000.0, report.getDouble("variants[1].spendPerMember"), TOLERANCE);
        assertEquals(0.5, report.getDouble("variants[1].redemptionRate"), TOLERANCE);
        assertEquals(10.5, report.getDouble("variants[1].bonusPointsPerMember"), TOLERANCE);
        assertEquals(10.5, report.getDouble("variants[1].incrementalPointsPerMember"), TOLERANCE);
        assertNull(report.get("variants[0].spendUplift"));
        double standardError = Math.sqrt(2_000_000.0 / 2 + 2_000_000.0 / 2);
        assertEquals(5_000.0, report.getDouble("variants[1].spendUplift.difference"), TOLERANCE);
        assertEquals(5_000.0 - Z_95 * standardError, report.getDouble("variants[1].spendUplift.low"), 1e-6);
        assertEquals(5_000.0 + Z_95 * standardError, report.getDouble("variants[1].spendUplift.high"), 1e-6);
        assertEquals("NOT_YET_SIGNIFICANT", report.getString("variants[1].spendUplift.verdict"), "two members a group");
        double rateError = Math.sqrt(0.25 / 2 + 0);
        assertEquals(0.5 + Z_95 * rateError, report.getDouble("variants[1].redemptionRateUplift.high"), 1e-9);
    }

    @Test
    void shouldRefuseTheReportOfACampaignWithoutVariants() {
        String campaignId = TestCampaigns.activate(campaigns, TestCampaigns.campaign("plain", 1, false,
                Map.of("skus", List.of("SKU-PLAIN-" + UUID.randomUUID())), Map.of("bonusPoints", 1)));
        given().get("/v1/admin/experiments/{id}/report", campaignId).then().statusCode(404)
                .body("code", equalTo("EXPERIMENT_NOT_FOUND"));
        given().get("/v1/admin/experiments/{id}/report", UUID.randomUUID()).then().statusCode(404)
                .body("code", equalTo("CAMPAIGN_NOT_FOUND"));
    }

    private static Map<String, Object> experiment(String sku) {
        Map<String, Object> definition = TestCampaigns.campaign("holdout or seven", 10, false, Map.of("skus", List.of(sku)),
                Map.of());
        definition.remove("effect");
        definition.put("variants", List.of(Map.of("name", "holdout", "shareBasisPoints", 5_000, "control", true),
                Map.of("name", "seven", "shareBasisPoints", 5_000, "effect", Map.of("bonusPoints", 7))));
        return definition;
    }

    private UUID exposed(String campaignId, String variant, long bonusPoints) {
        UUID memberId = LedgerApi.enrollWithPoints(100);
        Database.single(pool, """
                INSERT INTO campaign_exposures (member_id, campaign_id, variant, exposed_at, bonus_points)
                VALUES ($1, $2, $3, now(), $4) RETURNING 1""",
                memberId, UUID.fromString(campaignId), variant, bonusPoints);
        return memberId;
    }

    private static void spend(UUID memberId, long amount) {
        LedgerApi.earnForAmount(memberId, "ab-spend-" + UUID.randomUUID(), amount).then().statusCode(201);
    }
}
