package io.pointsledger.offers;

import static io.pointsledger.support.LedgerApi.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import io.pointsledger.support.LedgerApi;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A member sees the offers of their tier inside their window, and no ended one. */
@QuarkusTest
class OfferTest {

    @Test
    void shouldShowAMemberOnlyTheOffersOfTheirTierInsideTheirWindow() {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        String forGold = create(offer("GOLD evening", "EVENT_INVITATION", List.of("GOLD"), null, null,
                Map.of("eventAt", now.plusDays(7).toString(), "venue", "Flagship")));
        String forEveryone = create(offer("Members' 10 %", "DISCOUNT", null, null, null, Map.of("percentOffBasisPoints", 1_000)));
        String later = create(offer("Next month", "DISCOUNT", null, now.plusDays(30), null, Map.of("percentOffBasisPoints", 500)));
        String over = create(offer("Last month", "DISCOUNT", null, now.minusDays(60), now.minusDays(30),
                Map.of("percentOffBasisPoints", 500)));
        String ended = create(offer("Ended", "DISCOUNT", null, null, null, Map.of("percentOffBasisPoints", 500)));
        given().post("/v1/admin/offers/{id}/end", ended).then().statusCode(200).body("status", equalTo("ENDED"));

        UUID basic = LedgerApi.enroll();
        given().get("/v1/members/{id}/offers", basic).then().statusCode(200).body("tier", equalTo("BASIC"))
                .body("offers.offerId", hasItem(forEveryone)).body("offers.offerId", not(hasItem(forGold)))
                .body("offers.offerId", not(hasItem(later))).body("offers.offerId", not(hasItem(over)))
                .body("offers.offerId", not(hasItem(ended)));

        UUID gold = LedgerApi.enroll();
        LedgerApi.earnForAmount(gold, "gold-" + gold, 1_000_000).then().statusCode(201);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).until(() -> "GOLD".equals(
                given().get("/v1/members/{id}/offers", gold).then().statusCode(200).extract().path("tier")));
        given().get("/v1/members/{id}/offers", gold).then().body("offers.offerId", hasItem(forGold))
                .body("offers.offerId", hasItem(forEveryone));
        given().get("/v1/members/{id}/offers", UUID.randomUUID()).then().statusCode(404).body("code", equalTo("MEMBER_NOT_FOUND"));
    }

    @Test
    void shouldRefuseAnOfferWithoutWhatItsKindNeeds() {
        given().contentType(ContentType.JSON).body(offer("No date", "EVENT_INVITATION", null, null, null, Map.of()))
                .post("/v1/admin/offers").then().statusCode(400).body("violations[0].field", equalTo("eventAt"));
        given().contentType(ContentType.JSON).body(offer("Coupon of nothing", "DISCOUNT", null, null, null,
                        Map.of("couponDefinitionId", UUID.randomUUID().toString())))
                .post("/v1/admin/offers").then().statusCode(404).body("code", equalTo("COUPON_DEFINITION_NOT_FOUND"));
    }

    static Map<String, Object> offer(String name, String kind, List<String> tiers, OffsetDateTime from, OffsetDateTime until,
            Map<String, Object> details) {
        Map<String, Object> offer = new LinkedHashMap<>(details);
        offer.put("name", name);
        offer.put("kind", kind);
        if (tiers != null) {
            offer.put("eligibility", Map.of("tiers", tiers));
        }
        if (from != null) {
            offer.put("validFrom", from.toString());
        }
        if (until != null) {
            offer.put("validUntil", until.toString());
        }
        return offer;
    }

    private static String create(Map<String, Object> offer) {
        return given().contentType(ContentType.JSON).body(offer).post("/v1/admin/offers").then().statusCode(201)
                .extract().path("offerId");
    }
}
