package io.pointsledger.campaigns;

import static io.pointsledger.campaigns.CampaignAdminTest.create;
import static io.pointsledger.campaigns.CampaignAdminTest.definition;
import static io.pointsledger.support.LedgerApi.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pointsledger.support.Concurrently;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** At most points-ledger.campaigns.active-max campaigns are active, even when activations race. */
@QuarkusTest
@TestProfile(ActiveCampaignLimitTest.TwoActiveAtMost.class)
class ActiveCampaignLimitTest {

    public static class TwoActiveAtMost implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("points-ledger.campaigns.active-max", "2");
        }
    }

    @Test
    void shouldRefuseAnActivationPastTheLimitEvenWhenActivationsRace() throws Exception {
        List<String> activeBefore = given().queryParam("status", "ACTIVE").queryParam("limit", 200)
                .get("/v1/admin/campaigns").then().statusCode(200).extract().path("items.campaignId");
        activeBefore.forEach(campaignId -> given().post("/v1/admin/campaigns/{id}/end", campaignId).then().statusCode(200));
        String sku = "SKU-LIMIT-" + UUID.randomUUID();
        List<String> drafts = List.of(create(definition("one", sku, 20000)).path("campaignId"),
                create(definition("two", sku, 20000)).path("campaignId"), create(definition("three", sku, 20000)).path("campaignId"),
                create(definition("four", sku, 20000)).path("campaignId"));

        List<Integer> statuses = Concurrently.run(drafts.size(),
                index -> given().post("/v1/admin/campaigns/{id}/activate", drafts.get(index)).statusCode());

        assertEquals(2, statuses.stream().filter(status -> status == 200).count(), statuses.toString());
        assertEquals(2, statuses.stream().filter(status -> status == 409).count(), statuses.toString());
        given().queryParam("status", "ACTIVE").get("/v1/admin/campaigns").then().statusCode(200).body("items.size()", equalTo(2));
        String waiting = drafts.get(statuses.indexOf(409));
        given().post("/v1/admin/campaigns/{id}/activate", waiting).then().statusCode(409)
                .body("code", equalTo("ACTIVE_CAMPAIGN_LIMIT_REACHED"));

        given().post("/v1/admin/campaigns/{id}/pause", drafts.get(statuses.indexOf(200))).then().statusCode(200);
        given().post("/v1/admin/campaigns/{id}/activate", waiting).then().statusCode(200);
        drafts.forEach(campaignId -> given().post("/v1/admin/campaigns/{id}/end", campaignId).then().statusCode(200));
    }
}
