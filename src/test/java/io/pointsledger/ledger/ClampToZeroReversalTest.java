package io.pointsledger.ledger;

import static io.pointsledger.support.Holds.reverse;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pointsledger.support.LedgerApi;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Under CLAMP_TO_ZERO a return takes back only what is available; the rest is forgiven. */
@QuarkusTest
@TestProfile(ClampToZeroReversalTest.ClampToZero.class)
class ClampToZeroReversalTest {

    public static class ClampToZero implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("points-ledger.program.reversal-policy", "CLAMP_TO_ZERO");
        }
    }

    @Test
    void shouldStopAtZeroWhenTheEarnWasSpent() {
        UUID memberId = LedgerApi.enroll();
        String earned = LedgerApi.earnPoints(memberId, "clamp-earn-" + memberId, 100).then().statusCode(201)
                .extract().path("transactionId");
        LedgerApi.redeem(memberId, "clamp-spend-" + memberId, 70).then().statusCode(201);

        reverse(earned, "clamp-return-" + memberId, null).then().statusCode(201)
                .body("points", equalTo(100)).body("postedDelta", equalTo(-30)).body("posted", equalTo(0));

        assertEquals(0, LedgerApi.available(memberId));
        reverse(earned, "clamp-again-" + memberId, 1L).then().statusCode(409).body("code", equalTo("REVERSAL_EXCEEDS_ORIGINAL"));
        LedgerApi.assertReconciles();
    }
}
