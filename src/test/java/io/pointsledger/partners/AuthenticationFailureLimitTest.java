package io.pointsledger.partners;

import static io.pointsledger.support.LedgerApi.as;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.MeterRegistry;
import io.pointsledger.support.LedgerApi;
import io.pointsledger.support.Partners;
import io.pointsledger.support.Partners.TestPartner;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * An address that keeps presenting bad keys is answered 429 before its keys reach the database,
 * while keys that this instance knows to be valid still pass from the same address (a till behind
 * the attacker's NAT). Every test request comes from 127.0.0.1, hence a profile with a small budget.
 */
@QuarkusTest
@TestProfile(AuthenticationFailureLimitTest.ThreeFailuresPerHour.class)
class AuthenticationFailureLimitTest {

    private static final int FAILURES_MAX = 3;

    public static class ThreeFailuresPerHour implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("points-ledger.security.authentication-failures-per-address-max", Integer.toString(FAILURES_MAX),
                    "points-ledger.security.authentication-failure-window", "PT1H");
        }
    }

    @Inject
    MeterRegistry registry;

    @Test
    void shouldLimitAnAddressThatKeepsFailingButServeItsValidKeys() {
        TestPartner till = Partners.create(100, "read");
        UUID memberId = LedgerApi.enroll();
        as(till.apiKey()).get("/v1/members/{memberId}/balance", memberId).then().statusCode(200);

        for (int attempt = 0; attempt < FAILURES_MAX; attempt++) {
            as("plk_guess-" + attempt).get("/v1/members/{memberId}/balance", memberId).then()
                    .statusCode(401).body("code", equalTo("UNAUTHENTICATED"));
        }
        double lookupsBefore = registry.counter("ledger.api.key.lookups").count();
        Response malformed = as("plk_guess-again").get("/v1/members/{memberId}/balance", memberId);
        Response wellShaped = as(unknownWellShapedKey()).get("/v1/members/{memberId}/balance", memberId);

        for (Response refused : new Response[] {malformed, wellShaped}) {
            assertEquals(429, refused.statusCode());
            assertEquals("RATE_LIMITED", refused.jsonPath().getString("code"));
            assertTrue(Integer.parseInt(refused.getHeader("Retry-After")) >= 1);
        }
        assertEquals(lookupsBefore, registry.counter("ledger.api.key.lookups").count(),
                "a limited address's keys do not reach the database");
        as(till.apiKey()).get("/v1/members/{memberId}/balance", memberId).then().statusCode(200);
        LedgerApi.given().get("/v1/members/{memberId}/balance", memberId).then().statusCode(200);
    }

    private static String unknownWellShapedKey() {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        return "plk_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    }
}
