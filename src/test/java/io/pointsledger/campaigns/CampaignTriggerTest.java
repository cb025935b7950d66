package io.pointsledger.campaigns;

import static io.pointsledger.support.LedgerApi.earn;
import static io.pointsledger.support.LedgerApi.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pointsledger.ledger.BonusOccasion;
import io.pointsledger.ledger.LedgerService;
import io.pointsledger.program.ProgramConfig;
import io.pointsledger.support.Concurrently;
import io.pointsledger.support.Database;
import io.pointsledger.support.LedgerApi;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Campaigns triggered by something other than every purchase: a signup (rewarded from the
 * MEMBER_ENROLLED event, through the write path) and a member's first purchase. Each grants once
 * per member, whatever is delivered twice, retried or raced.
 */
@QuarkusTest
class CampaignTriggerTest {

    private static final Duration DEADLINE = Duration.ofSeconds(20);

    private final List<String> campaigns = new ArrayList<>();

    @Inject
    Pool pool;

    @Inject
    LedgerService ledger;

    @Inject
    BirthdayRewards birthdays;

    @Inject
    ProgramConfig program;

    @AfterEach
    void endCampaigns() {
        TestCampaigns.endAll(campaigns);
    }

    @Test
    void shouldGrantTheSignupBonusOncePerMemberHoweverOftenTheEnrollmentIsReported() throws Exception {
        String campaignId = TestCampaigns.activate(campaigns, occasionCampaign("3 000 points on signup", "SIGNUP", 3_000));
        UUID memberId = LedgerApi.enroll();

        await().atMost(DEADLINE).until(() -> LedgerApi.available(memberId) == 3_000);
        given().get("/v1/members/{id}/transactions", memberId).then().statusCode(200)
                .body("items[0].kind", equalTo("EARN")).body("items[0].points", equalTo(3_000));

        // The event delivered again, as an operator putting it back from the dead letters would, and the grant raced.
        Database.single(pool, """
                INSERT INTO outbox (event_id, member_id, event_type, payload)
                SELECT gen_random_uuid(), $1, 'MEMBER_ENROLLED',
                       jsonb_build_object('schemaVersion', 1, 'eventType', 'MEMBER_ENROLLED', 'memberId', $1::text,
                                          'channel', 'OFFLINE', 'enrolledAt', now()::text)
                RETURNING 1""", memberId);
        List<Long> raced = Concurrently.run(8, index -> ledger.grantOccasion(memberId, BonusOccasion.SIGNUP,
                OffsetDateTime.now()).await().atMost(DEADLINE));
        await().atMost(DEADLINE).until(() -> Database.single(pool, "SELECT count(*) FROM outbox WHERE member_id = $1",
                memberId).getLong(0) == 0);

        assertEquals(List.of(0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L), raced, "granted already");
        assertEquals(3_000, LedgerApi.available(memberId));
        assertEquals(1, Database.single(pool, "SELECT count(*) FROM campaign_occasions WHERE member_id = $1 AND campaign_id = $2",
                memberId, UUID.fromString(campaignId)).getLong(0));
        LedgerApi.assertReconciles();
    }

    @Test
    void shouldNotRewardAMemberBroughtOverInBulkButRewardASheetOfNewSignUps() throws Exception {
        TestCampaigns.activate(campaigns, occasionCampaign("3 000 points on signup", "SIGNUP", 3_000));
        String run = UUID.randomUUID().toString();
        UUID migrated = imported(run + "-migrated", null);
        UUID signedUp = imported(run + "-new", "OFFLINE");

        await().atMost(DEADLINE).until(() -> LedgerApi.available(signedUp) == 3_000);
        await().atMost(DEADLINE).until(() -> Database.single(pool, "SELECT count(*) FROM outbox WHERE member_id = $1",
                migrated).getLong(0) == 0);
        assertEquals(0, LedgerApi.available(migrated), "a BULK enrollment is a migration, not a sign-up");
    }

    /** The member a one-row import enrolls, through {@code channel} (null: the import's default, BULK). */
    private UUID imported(String externalId, String channel) throws java.io.IOException {
        java.nio.file.Path directory = java.nio.file.Path.of("target/test-imports");
        java.nio.file.Files.createDirectories(directory);
        String file = externalId + ".csv";
        java.nio.file.Files.writeString(directory.resolve(file), "externalId,name\n" + externalId + ",Imported\n");
        Map<String, Object> request = new java.util.HashMap<>(Map.of("kind", "MEMBERS", "file", file));
        if (channel != null) {
            request.put("channel", channel);
        }
        String jobId = given().contentType(ContentType.JSON).body(request).post("/v1/admin/imports").then().statusCode(202)
                .extract().path("jobId");
        await().atMost(DEADLINE).until(() -> "DONE".equals(given().get("/v1/admin/imports/{jobId}", jobId).then()
                .extract().path("status")));
        return Database.single(pool, "SELECT member_id FROM members WHERE external_id = $1", externalId).getUUID(0);
    }

    @Test
    void shouldRewardOnlyAMembersFirstPurchaseEvenWhenTheirFirstEarnsRace() throws Exception {
        String sku = "SKU-FIRST-" + UUID.randomUUID();
        UUID boughtBefore = LedgerApi.enroll();
        earn(boughtBefore, "before-" + boughtBefore, TestCampaigns.purchase(sku, null)).then().statusCode(201);
        Map<String, Object> firstPurchase = TestCampaigns.campaign("50 on the first purchase", 10, false,
                Map.of("skus", List.of(sku)), Map.of("bonusPoints", 50));
        firstPurchase.put("trigger", "FIRST_PURCHASE");
        String campaignId = TestCampaigns.activate(campaigns, firstPurchase);
        UUID newcomer = LedgerApi.enroll();

        earn(boughtBefore, "after-" + boughtBefore, TestCampaigns.purchase(sku, null)).then().statusCode(201)
                .body("bonuses", equalTo(List.of()));
        List<Response> earns = Concurrently.run(10, index -> earn(newcomer, "first-" + index + "-" + newcomer,
                TestCampaigns.purchase(sku, null)));

        earns.forEach(response -> response.then().statusCode(201));
        assertEquals(1, earns.stream().filter(response -> !response.jsonPath().getList("bonuses").isEmpty()).count());
        assertEquals(10 * 20 + 50, LedgerApi.available(newcomer));
        assertEquals(campaignId, earns.stream().filter(response -> !response.jsonPath().getList("bonuses").isEmpty())
                .findFirst().orElseThrow().path("bonuses[0].campaignId"));
        LedgerApi.assertReconciles();
    }

    @Test
    void shouldRewardAMoveUpToANamedTierOncePerMember() {
        Map<String, Object> silver = occasionCampaign("500 on reaching SILVER", "TIER_REACHED", 500);
        silver.put("conditions", Map.of("tiers", List.of("SILVER")));
        TestCampaigns.activate(campaigns, silver);
        UUID memberId = LedgerApi.enroll();

        LedgerApi.earnForAmount(memberId, "silver-" + memberId, 350_000).then().statusCode(201);

        await().atMost(DEADLINE).until(() -> LedgerApi.available(memberId) == 3_500 + 500);
        Database.single(pool, """
                INSERT INTO outbox (event_id, member_id, event_type, payload)
                SELECT gen_random_uuid(), $1, 'TIER_CHANGED',
                       jsonb_build_object('schemaVersion', 1, 'eventType', 'TIER_CHANGED', 'memberId', $1::text,
                                          'from', 'BASIC', 'to', 'SILVER', 'reason', 'again', 'changedAt', now())
                RETURNING 1""", memberId);
        await().atMost(DEADLINE).until(() -> Database.single(pool, "SELECT count(*) FROM outbox WHERE member_id = $1",
                memberId).getLong(0) == 0);
        assertEquals(3_500 + 500, LedgerApi.available(memberId), "once per member and tier");
        LedgerApi.assertReconciles();
    }

    @Test
    void shouldRewardABirthdayMonthOnceAYearEvenWhenTheJobRunsTwice() {
        UUID couponDefinition = UUID.fromString(given().contentType(ContentType.JSON)
                .body(Map.of("name", "Birthday 5 off", "kind", "AMOUNT_OFF", "amountOff", 500))
                .post("/v1/admin/coupon-definitions").then().statusCode(201).extract().path("definitionId"));
        Map<String, Object> coupon = occasionCampaign("birthday coupon", "BIRTHDAY_MONTH", 1);
        coupon.put("effect", Map.of("couponDefinitionId", couponDefinition.toString()));
        TestCampaigns.activate(campaigns, coupon);
        TestCampaigns.activate(campaigns, occasionCampaign("birthday points", "BIRTHDAY_MONTH", 100));
        LocalDate today = LocalDate.now(program.timeZone());
        UUID bornThisMonth = enrollBornOn(today.minusYears(30).withDayOfMonth(1));
        UUID bornNextMonth = enrollBornOn(today.minusYears(30).withDayOfMonth(1).plusMonths(1));

        birthdays.run().await().atMost(DEADLINE);
        birthdays.run().await().atMost(DEADLINE);

        given().get("/v1/members/{id}/coupons", bornThisMonth).then().statusCode(200)
                .body("items.definitionId", equalTo(List.of(couponDefinition.toString())));
        assertEquals(100, LedgerApi.available(bornThisMonth), "the points once");
        given().get("/v1/members/{id}/coupons", bornNextMonth).then().statusCode(200).body("items", equalTo(List.of()));
        assertEquals(0, LedgerApi.available(bornNextMonth));
        LedgerApi.assertReconciles();
    }

    @Test
    void shouldIssueASignupCouponOncePerMember() {
        UUID couponDefinition = UUID.fromString(given().contentType(ContentType.JSON)
                .body(Map.of("name", "Welcome 500", "kind", "POINTS", "points", 500))
                .post("/v1/admin/coupon-definitions").then().statusCode(201).extract().path("definitionId"));
        Map<String, Object> welcome = occasionCampaign("welcome coupon", "SIGNUP", 1);
        welcome.put("effect", Map.of("couponDefinitionId", couponDefinition.toString()));
        TestCampaigns.activate(campaigns, welcome);
        UUID memberId = LedgerApi.enroll();

        await().atMost(DEADLINE).until(() -> given().get("/v1/members/{id}/coupons", memberId).then().statusCode(200)
                .extract().jsonPath().getList("items").size() == 1);
        redeliverEnrollment(memberId);
        given().get("/v1/members/{id}/coupons", memberId).then().body("items.size()", equalTo(1));
        Map<String, Object> multiplied = occasionCampaign("coupon on purchase", "PURCHASE", 1);
        multiplied.put("effect", Map.of("couponDefinitionId", couponDefinition.toString()));
        CampaignAdminTest.create(multiplied).then().statusCode(400)
                .body("violations[0].field", equalTo("effect.couponDefinitionId"));
    }

    /** The member's MEMBER_ENROLLED put back in the outbox, as an operator replaying a dead letter would; waits until consumed. */
    private void redeliverEnrollment(UUID memberId) {
        Database.single(pool, """
                INSERT INTO outbox (event_id, member_id, event_type, payload)
                SELECT gen_random_uuid(), $1, 'MEMBER_ENROLLED',
                       jsonb_build_object('schemaVersion', 1, 'eventType', 'MEMBER_ENROLLED', 'memberId', $1::text,
                                          'channel', 'OFFLINE', 'enrolledAt', now()::text)
                RETURNING 1""", memberId);
        await().atMost(DEADLINE).until(() -> Database.single(pool, "SELECT count(*) FROM outbox WHERE member_id = $1",
                memberId).getLong(0) == 0);
    }

    private static UUID enrollBornOn(LocalDate birthDate) {
        return UUID.fromString(given().contentType(ContentType.JSON)
                .body(Map.of("name", "Birthday", "birthDate", birthDate.toString(), "channel", "OFFLINE"))
                .post("/v1/members").then().statusCode(201).extract().path("memberId"));
    }

    @Test
    void shouldRefuseWhatOnlyAPurchaseCampaignLooksAt() {
        Map<String, Object> multiplied = occasionCampaign("double on signup", "SIGNUP", 1);
        multiplied.put("effect", Map.of("multiplierBasisPoints", 20_000));
        CampaignAdminTest.create(multiplied).then().statusCode(400).body("violations[0].field",
                equalTo("effect.multiplierBasisPoints"));
        Map<String, Object> withItems = occasionCampaign("signup on coffee", "SIGNUP", 1);
        withItems.put("conditions", Map.of("skus", List.of("COFFEE")));
        CampaignAdminTest.create(withItems).then().statusCode(400).body("violations[0].field", equalTo("conditions.skus"));
    }

    private static Map<String, Object> occasionCampaign(String name, String trigger, long bonusPoints) {
        Map<String, Object> definition = TestCampaigns.campaign(name, 10, false, Map.of(), Map.of("bonusPoints", bonusPoints));
        definition.put("trigger", trigger);
        definition.remove("conditions");
        return definition;
    }
}
