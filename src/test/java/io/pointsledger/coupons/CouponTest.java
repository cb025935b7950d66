package io.pointsledger.coupons;

import static io.pointsledger.support.LedgerApi.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pointsledger.support.Concurrently;
import io.pointsledger.support.Database;
import io.pointsledger.support.LedgerApi;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Coupons from definition to checkout, on the real database: single use under any race, retries
 * replayed, each refusal with its own code, a points coupon posted through the ledger once, a held
 * code released when its checkout is voided, and batches of unique codes issued in the background.
 */
@QuarkusTest
class CouponTest {

    private static final Duration DEADLINE = Duration.ofSeconds(30);

    @Inject
    Pool pool;

    @Inject
    CouponService coupons;

    @Test
    void shouldRedeemACodeOnceWhenFiftyCheckoutsRaceForIt() throws Exception {
        String code = issue(define(Map.of("kind", "AMOUNT_OFF", "amountOff", 500)), null);
        List<UUID> members = IntStream.range(0, 50).mapToObj(index -> LedgerApi.enroll()).toList();

        List<Response> answers = Concurrently.run(50, index -> redeem(code, "race-" + index + "-" + code,
                basket(members.get(index), 2_000)));

        assertEquals(1, answers.stream().filter(answer -> answer.statusCode() == 200).count());
        answers.stream().filter(answer -> answer.statusCode() != 200).forEach(answer -> answer.then().statusCode(409)
                .body("code", equalTo("COUPON_ALREADY_REDEEMED")));
        Response winner = answers.stream().filter(answer -> answer.statusCode() == 200).findFirst().orElseThrow();
        winner.then().body("discount.value", equalTo(500)).body("redeemedAt", org.hamcrest.Matchers.notNullValue());
    }

    @Test
    void shouldReplayARetriedRedemptionAndRefuseAnyOther() {
        String code = issue(define(Map.of("kind", "PERCENT_OFF", "percentOffBasisPoints", 2_000)), null);
        UUID memberId = LedgerApi.enroll();
        Map<String, Object> basket = basket(memberId, 12_500);

        String first = redeem(code, "retry-" + code, basket).then().statusCode(200).body("discount.value", equalTo(2_500))
                .extract().asString();
        Response retry = redeem(code.toLowerCase(), "retry-" + code, basket);
        retry.then().statusCode(200).header("Idempotent-Replayed", "true");
        assertEquals(io.vertx.core.json.Json.decodeValue(first), io.vertx.core.json.Json.decodeValue(retry.asString()));
        redeem(code, "another-" + code, basket).then().statusCode(409).body("code", equalTo("COUPON_ALREADY_REDEEMED"));
        assertEquals(1, Database.single(pool, "SELECT count(*) FROM audit_log WHERE action = 'COUPON_REDEEMED' AND target = $1",
                code).getLong(0), "the redemption audited once, its replay not again");
        redeem(code, null, basket).then().statusCode(400).body("code", equalTo("IDEMPOTENCY_KEY_REQUIRED"));
    }

    @Test
    void shouldRefuseUnknownExpiredNotYetValidForeignAndUsedCodesEachWithItsOwnCode() {
        UUID owner = LedgerApi.enroll();
        UUID stranger = LedgerApi.enroll();
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        String expired = issue(define(Map.of("kind", "AMOUNT_OFF", "amountOff", 100, "validUntil", now.minusDays(1).toString())),
                null);
        String early = issue(define(Map.of("kind", "AMOUNT_OFF", "amountOff", 100, "validFrom", now.plusDays(1).toString())),
                null);
        String owned = issue(define(Map.of("kind", "AMOUNT_OFF", "amountOff", 100)), owner);

        validate("ZZZZZZZZZZZZZZZZ", basket(owner, 1_000)).then().statusCode(404).body("code", equalTo("COUPON_NOT_FOUND"));
        validate(expired, basket(owner, 1_000)).then().statusCode(409).body("code", equalTo("COUPON_EXPIRED"));
        validate(early, basket(owner, 1_000)).then().statusCode(409).body("code", equalTo("COUPON_NOT_YET_VALID"));
        redeem(owned, "foreign-" + owned, basket(stranger, 1_000)).then().statusCode(409)
                .body("code", equalTo("COUPON_OF_ANOTHER_MEMBER"));
        redeem(owned, "own-" + owned, basket(owner, 1_000)).then().statusCode(200);
        validate(owned, basket(owner, 1_000)).then().statusCode(409).body("code", equalTo("COUPON_ALREADY_REDEEMED"));
        validate(owned, basket(UUID.randomUUID(), 1_000)).then().statusCode(404).body("code", equalTo("MEMBER_NOT_FOUND"));
    }

    @Test
    void shouldPostAPointsCouponThroughTheLedgerOnceWhateverTheCatchUpJobDoes() {
        UUID definitionId = define(Map.of("kind", "POINTS", "points", 500));
        UUID memberId = LedgerApi.enroll();
        String code = issue(definitionId, memberId);
        given().get("/v1/members/{id}/coupons", memberId).then().statusCode(200)
                .body("items.code", equalTo(List.of(code))).body("items[0].status", equalTo("ISSUED"));

        redeem(code, "points-" + code, Map.of("memberId", memberId.toString(), "orderId", "o-" + code))
                .then().statusCode(200).body("points", equalTo(500)).body("discount", equalTo(null));
        assertEquals(500, LedgerApi.available(memberId));

        // As if the instance stopped after posting and before marking the points posted: the job posts nothing again.
        Database.single(pool, "UPDATE coupons SET points_due = 500, redeemed_at = now() - interval '1 hour' "
                + "WHERE code = $1 RETURNING 1", code);
        coupons.postDuePoints(100).await().atMost(DEADLINE);
        assertEquals(500, LedgerApi.available(memberId));
        assertEquals(0, Database.single(pool, "SELECT count(*) FROM coupons WHERE code = $1 AND points_due IS NOT NULL", code)
                .getLong(0));
        given().get("/v1/members/{id}/coupons", memberId).then().body("items[0].status", equalTo("REDEEMED"));
        LedgerApi.assertReconciles();
    }

    @Test
    void shouldReleaseAHeldCodeWhenItsCheckoutsPointsHoldIsVoided() {
        String code = issue(define(Map.of("kind", "FREE_ITEM", "sku", "SKU-CUP")), null);
        UUID shopper = LedgerApi.enrollWithPoints(1_000);
        UUID other = LedgerApi.enroll();
        String orderId = "checkout-" + code;
        String holdId = given().contentType(ContentType.JSON).header("Idempotency-Key", "hold-" + code)
                .body(Map.of("points", 100, "orderId", orderId, "channel", "POS"))
                .post("/v1/members/{id}/holds", shopper).then().statusCode(201).extract().path("holdId");

        given().contentType(ContentType.JSON).body(Map.of("memberId", shopper.toString(), "orderId", orderId))
                .post("/v1/coupons/{code}/hold", code).then().statusCode(200).body("status", equalTo("HELD"));
        validate(code, itemBasket(other)).then().statusCode(409).body("code", equalTo("COUPON_HELD"));
        validate(code, Map.of("memberId", shopper.toString(), "orderId", orderId, "items", List.of(cup(1))))
                .then().statusCode(200).body("freeItems[0].quantity", equalTo(1));

        given().contentType(ContentType.JSON).header("Idempotency-Key", "void-" + code).post("/v1/holds/{id}/void", holdId)
                .then().statusCode(200);

        await().atMost(DEADLINE).until(() -> validate(code, itemBasket(other)).statusCode() == 200);
        given().contentType(ContentType.JSON).body(Map.of("memberId", shopper.toString(), "orderId", orderId))
                .post("/v1/coupons/{code}/release", code).then().statusCode(409).body("code", equalTo("COUPON_NOT_HELD"));
    }

    @Test
    void shouldIssueABatchOfUniqueCodesInTheBackgroundAndShowItsProgress() {
        UUID definitionId = define(Map.of("kind", "AMOUNT_OFF", "amountOff", 100));
        Response started = given().contentType(ContentType.JSON).body(Map.of("count", 5_000))
                .post("/v1/admin/coupon-definitions/{id}/batches", definitionId);
        started.then().statusCode(202).body("requested", equalTo(5_000));
        String location = started.header("Location");

        await().atMost(DEADLINE).until(() -> "DONE".equals(given().get(location).then().statusCode(200).extract().path("status")));
        given().get(location).then().body("issued", equalTo(5_000)).body("finishedAt", org.hamcrest.Matchers.notNullValue());
        Set<String> codes = new HashSet<>();
        String cursor = null;
        do {
            Response page = given().queryParam("limit", 1_000).queryParam("cursor", cursor == null ? "" : cursor)
                    .get(location + "/coupons");
            page.then().statusCode(200);
            List<String> pageCodes = page.jsonPath().getList("items.code");
            pageCodes.forEach(code -> assertTrue(code.matches("[A-Z2-9]{16}"), code));
            codes.addAll(pageCodes);
            cursor = page.jsonPath().getString("nextCursor");
        } while (cursor != null);
        assertEquals(5_000, codes.size(), "every code listed once, and unique");
    }

    @Test
    void shouldKeepAMembersRedemptionsWithinThePerMemberLimitWhenTheyRace() throws Exception {
        UUID definitionId = define(Map.of("kind", "AMOUNT_OFF", "amountOff", 100, "perMemberLimit", 1));
        List<String> codes = IntStream.range(0, 10).mapToObj(index -> issue(definitionId, null)).toList();
        UUID memberId = LedgerApi.enroll();

        List<Response> answers = Concurrently.run(10, index -> redeem(codes.get(index), "limit-" + codes.get(index),
                basket(memberId, 1_000)));

        assertEquals(1, answers.stream().filter(answer -> answer.statusCode() == 200).count());
        answers.stream().filter(answer -> answer.statusCode() != 200).forEach(answer -> answer.then().statusCode(409)
                .body("code", equalTo("COUPON_LIMIT_REACHED")));
    }

    @Test
    void shouldGiveEachKindsDiscountOnlyToABasketItAppliesTo() {
        UUID memberId = LedgerApi.enroll();
        String bogo = issue(define(Map.of("kind", "BUY_ONE_GET_ONE", "sku", "SKU-CUP")), null);
        String minimum = issue(define(Map.of("kind", "AMOUNT_OFF", "amountOff", 5_000, "minimumSpend", 3_000)), null);

        validate(bogo, Map.of("memberId", memberId.toString(), "orderId", "o", "items", List.of(cup(3))))
                .then().statusCode(200).body("freeItems[0].quantity", equalTo(1)).body("discount.value", equalTo(450));
        validate(bogo, Map.of("memberId", memberId.toString(), "orderId", "o", "items", List.of(cup(1))))
                .then().statusCode(409).body("code", equalTo("COUPON_NOT_APPLICABLE"));
        validate(minimum, basket(memberId, 2_999)).then().statusCode(409).body("code", equalTo("COUPON_NOT_APPLICABLE"));
        validate(minimum, basket(memberId, 4_000)).then().statusCode(200).body("discount.value", equalTo(4_000));
    }

    static UUID define(Map<String, Object> fields) {
        Map<String, Object> definition = new LinkedHashMap<>(fields);
        definition.put("name", "coupon " + fields.get("kind"));
        return UUID.fromString(given().contentType(ContentType.JSON).body(definition).post("/v1/admin/coupon-definitions")
                .then().statusCode(201).extract().path("definitionId"));
    }

    static String issue(UUID definitionId, UUID memberId) {
        Map<String, Object> request = new LinkedHashMap<>();
        if (memberId != null) {
            request.put("memberId", memberId.toString());
        }
        return given().contentType(ContentType.JSON).body(request).post("/v1/admin/coupon-definitions/{id}/coupons", definitionId)
                .then().statusCode(201).extract().path("code");
    }

    private static Response redeem(String code, String idempotencyKey, Map<String, Object> basket) {
        var request = given().contentType(ContentType.JSON).body(basket);
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return request.post("/v1/coupons/{code}/redeem", code);
    }

    private static Response validate(String code, Map<String, Object> basket) {
        return given().contentType(ContentType.JSON).body(basket).post("/v1/coupons/{code}/validate", code);
    }

    private static Map<String, Object> basket(UUID memberId, long amount) {
        return Map.of("memberId", memberId.toString(), "orderId", "order-" + UUID.randomUUID(),
                "amount", Map.of("value", amount, "currency", "USD"));
    }

    private static Map<String, Object> itemBasket(UUID memberId) {
        return Map.of("memberId", memberId.toString(), "orderId", "order-" + UUID.randomUUID(), "items", List.of(cup(1)));
    }

    private static Map<String, Object> cup(int quantity) {
        return Map.of("sku", "SKU-CUP", "quantity", quantity, "unitPrice", 450);
    }
}
