package io.pointsledger.partners;

import static io.pointsledger.support.LedgerApi.as;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pointsledger.support.LedgerApi;
import io.pointsledger.support.Partners;
import io.pointsledger.support.Partners.TestPartner;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
class RateLimitTest {

    @Test
    void shouldAnswerTooManyRequestsWithRetryAfterOverTheLimit() {
        TestPartner partner = Partners.create(3, "read");
        UUID memberId = LedgerApi.enroll();

        List<Response> responses = new ArrayList<>();
        for (int index = 0; index < 12; index++) {
            responses.add(as(partner.apiKey()).get("/v1/members/{memberId}/balance", memberId));
        }

        List<Response> limited = responses.stream().filter(response -> response.statusCode() == 429).toList();
        assertTrue(limited.size() >= 12 - 3 - 3, "at most one second of refill may pass: " + limited.size() + " limited");
        for (Response response : limited) {
            assertEquals("application/problem+json", response.contentType());
            assertEquals("RATE_LIMITED", response.jsonPath().getString("code"));
            assertTrue(Integer.parseInt(response.getHeader("Retry-After")) >= 1);
        }
    }

    @Test
    void shouldNeverLimitABurstWithinTheLimit() {
        TestPartner partner = Partners.create(20, "read");
        UUID memberId = LedgerApi.enroll();

        for (int index = 0; index < 20; index++) {
            as(partner.apiKey()).get("/v1/members/{memberId}/balance", memberId).then().statusCode(200);
        }
    }

    @Test
    void shouldKeepEachPartnersBucketSeparate() {
        TestPartner noisy = Partners.create(1, "read");
        TestPartner quiet = Partners.create(1, "read");
        UUID memberId = LedgerApi.enroll();
        as(noisy.apiKey()).get("/v1/members/{memberId}/balance", memberId).then().statusCode(200);
        as(noisy.apiKey()).get("/v1/members/{memberId}/balance", memberId).then().statusCode(429);

        as(quiet.apiKey()).get("/v1/members/{memberId}/balance", memberId).then().statusCode(200);
    }
}
