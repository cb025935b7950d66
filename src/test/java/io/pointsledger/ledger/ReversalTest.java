package io.pointsledger.ledger;

import static io.pointsledger.support.Holds.reverse;
import static io.pointsledger.support.LedgerApi.as;
import static io.pointsledger.support.LedgerApi.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pointsledger.support.Holds;
import io.pointsledger.support.LedgerApi;
import io.pointsledger.support.Partners;
import io.quarkus.test.junit.QuarkusTest;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Returns take points back, refunds give them back; never more than the original. */
@QuarkusTest
class ReversalTest {

    private static String earn(UUID memberId, long points) {
        return LedgerApi.earnPoints(memberId, UUID.randomUUID().toString(), points).then().statusCode(201)
                .extract().path("transactionId");
    }

    @Test
    void shouldTakeBackAnUnspentEarnInPartsAndNeverMoreThanTheOriginal() {
        UUID memberId = LedgerApi.enroll();
        String earned = earn(memberId, 100);

        reverse(earned, "part-1-" + earned, 30L).then().statusCode(201)
                .body("kind", equalTo("REVERSAL")).body("points", equalTo(30)).body("postedDelta", equalTo(-30))
                .body("relatedTransactionId", equalTo(earned)).body("available", equalTo(70));
        reverse(earned, "part-2-" + earned, 71L).then().statusCode(409).body("code", equalTo("REVERSAL_EXCEEDS_ORIGINAL"));
        String rest = reverse(earned, "rest-" + earned, null).then().statusCode(201).body("points", equalTo(70))
                .extract().path("transactionId");
        reverse(earned, "more-" + earned, 1L).then().statusCode(409).body("code", equalTo("REVERSAL_EXCEEDS_ORIGINAL"));

        assertEquals(0, LedgerApi.available(memberId));
        given().get("/v1/transactions/{id}", earned).then().statusCode(200)
                .body("transfer.kind", equalTo("EARN")).body("reversedPoints", equalTo(100))
                .body("reversals", hasSize(2)).body("reversals[1]", equalTo(rest));
        LedgerApi.assertReconciles();
    }

    @Test
    void shouldRefuseToReverseAReversalOrAHold() {
        UUID memberId = LedgerApi.enroll();
        String earned = earn(memberId, 100);
        String reversal = reverse(earned, "r-" + earned, 10L).then().statusCode(201).extract().path("transactionId");

        reverse(reversal, "rr-" + reversal, null).then().statusCode(409).body("code", equalTo("TRANSFER_NOT_REVERSIBLE"));
        String holdId = Holds.holdId(memberId, 10);
        reverse(holdId, "rh-" + holdId, null).then().statusCode(409).body("code", equalTo("TRANSFER_NOT_REVERSIBLE"));
        reverse(UUID.randomUUID().toString(), UUID.randomUUID().toString(), null).then().statusCode(404)
                .body("code", equalTo("TRANSFER_NOT_FOUND"));
        given().contentType("application/json").header("Idempotency-Key", "no-reason").body("{\"points\":1}")
                .post("/v1/transactions/{id}/reverse", earned).then().statusCode(400).body("code", equalTo("VALIDATION_FAILED"));
        assertEquals(80, LedgerApi.available(memberId));
    }

    @Test
    void shouldLetASpentEarnsReturnTakeTheBalanceNegativeUnderTheDefaultPolicy() {
        UUID memberId = LedgerApi.enroll();
        String earned = earn(memberId, 100);
        LedgerApi.redeem(memberId, UUID.randomUUID().toString(), 90).then().statusCode(201);

        reverse(earned, "spent-" + earned, null).then().statusCode(201).body("postedDelta", equalTo(-100))
                .body("posted", equalTo(-90));

        LedgerApi.redeem(memberId, UUID.randomUUID().toString(), 1).then().statusCode(409);
        LedgerApi.assertReconciles();
    }

    @Test
    void shouldRefundARedeemAndACapture() {
        UUID memberId = LedgerApi.enroll();
        earn(memberId, 500);
        String redemption = LedgerApi.redeem(memberId, UUID.randomUUID().toString(), 200).then().statusCode(201)
                .extract().path("transactionId");
        String holdId = Holds.holdId(memberId, 100);
        String capture = Holds.capture(holdId, UUID.randomUUID().toString(), null).then().statusCode(200)
                .extract().path("transactionId");

        reverse(redemption, "refund-" + redemption, 50L).then().statusCode(201).body("postedDelta", equalTo(50));
        reverse(capture, "refund-" + capture, null).then().statusCode(201).body("points", equalTo(100));

        assertEquals(500 - 200 - 100 + 50 + 100, LedgerApi.available(memberId));
        reverse(capture, "again-" + capture, 1L).then().statusCode(409).body("code", equalTo("REVERSAL_EXCEEDS_ORIGINAL"));
        LedgerApi.assertReconciles();
    }

    @Test
    void shouldReplayAReversalOnRetry() {
        UUID memberId = LedgerApi.enroll();
        String earned = earn(memberId, 100);
        String key = "retry-reversal-" + earned;
        String first = reverse(earned, key, 40L).then().statusCode(201).extract().path("transactionId");

        reverse(earned, key, 40L).then().statusCode(201).header("Idempotent-Replayed", "true").body("transactionId", equalTo(first));
        assertEquals(60, LedgerApi.available(memberId));
    }

    @Test
    void shouldNotLetAPartnerReverseOrSeeAnotherPartnersTransfer() {
        var owner = Partners.create(1_000, "earn", "earn:manual", "reverse", "read");
        var stranger = Partners.create(1_000, "earn", "earn:manual", "reverse", "read");
        UUID memberId = LedgerApi.enroll();
        String earned = LedgerApi.earnPointsAs(owner.apiKey(), memberId, "owned-earn", 10).then().statusCode(201)
                .extract().path("transactionId");

        as(stranger.apiKey()).contentType("application/json").header("Idempotency-Key", "steal").body("{\"reason\":\"x\"}")
                .post("/v1/transactions/{id}/reverse", earned).then().statusCode(404).body("code", equalTo("TRANSFER_NOT_FOUND"));
        as(stranger.apiKey()).get("/v1/transactions/{id}", earned).then().statusCode(404);
        as(owner.apiKey()).get("/v1/transactions/{id}", earned).then().statusCode(200).body("transfer.points", equalTo(10));
        as(owner.apiKey()).contentType("application/json").header("Idempotency-Key", "own-return").body("{\"reason\":\"returned\"}")
                .post("/v1/transactions/{id}/reverse", earned).then().statusCode(201);
        assertEquals(0, LedgerApi.available(memberId));
    }
}
