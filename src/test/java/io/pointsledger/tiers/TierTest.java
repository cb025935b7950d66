package io.pointsledger.tiers;

import static io.pointsledger.support.LedgerApi.earnForAmount;
import static io.pointsledger.support.LedgerApi.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pointsledger.support.Holds;
import io.pointsledger.support.LedgerApi;
import io.pointsledger.support.MovableClock;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Tiers follow purchases through the event pipeline: up at once, down only at the review. */
@QuarkusTest
class TierTest {

    private static final Duration PIPELINE_DEADLINE = Duration.ofSeconds(20);

    @Inject
    TierService tiers;

    @Inject
    TierReview review;

    @Inject
    MovableClock clock;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    private static String tierOf(UUID memberId) {
        return given().get("/v1/members/{memberId}/tier", memberId).then().statusCode(200).extract().path("tier");
    }

    @Test
    void shouldUpgradeAsSoonAsTheQualifyingPurchaseIsProcessedAndApplyTheNewMultiplier() {
        UUID memberId = LedgerApi.enroll();
        earnForAmount(memberId, "tier-1-" + memberId, 200_000).then().statusCode(201).body("points", equalTo(2_000));
        given().get("/v1/members/{memberId}/tier", memberId).then().statusCode(200)
                .body("tier", equalTo("BASIC")).body("nextTier", equalTo("SILVER"));

        earnForAmount(memberId, "tier-2-" + memberId, 100_000).then().statusCode(201);

        await().atMost(PIPELINE_DEADLINE).until(() -> "SILVER".equals(tierOf(memberId)));
        given().get("/v1/members/{memberId}/tier", memberId).then()
                .body("qualifyingSpend", equalTo(300_000)).body("nextTier", equalTo("GOLD"))
                .body("remainingToNextTier", equalTo(700_000));
        earnForAmount(memberId, "tier-3-" + memberId, 10_000).then().statusCode(201).body("points", equalTo(150));
        given().get("/v1/members/{memberId}/balance", memberId).then().body("tier", equalTo("SILVER"));
    }

    @Test
    void shouldDowngradeOnlyAtTheReview() {
        UUID memberId = LedgerApi.enroll();
        String earned = earnForAmount(memberId, "review-" + memberId, 1_000_000).then().statusCode(201)
                .extract().path("transactionId");
        await().atMost(PIPELINE_DEADLINE).until(() -> "GOLD".equals(tierOf(memberId)));

        Holds.reverse(earned, "review-return-" + memberId, 5_000L).then().statusCode(201);
        await().atMost(PIPELINE_DEADLINE).until(() -> given().get("/v1/members/{memberId}/tier", memberId)
                .then().extract().<Integer>path("qualifyingSpend") == 500_000);
        assertEquals("GOLD", tierOf(memberId), "no downgrade before the review");

        clock.moveForward(Duration.ofDays(31));
        review.reviewDueMembers().await().atMost(Duration.ofSeconds(30));

        assertEquals("SILVER", tierOf(memberId));
    }

    @Test
    void shouldIgnoreARedeliveredEvent() {
        UUID memberId = LedgerApi.enroll();
        JsonObject event = new JsonObject()
                .put("schemaVersion", 1).put("kind", "EARN").put("memberId", memberId.toString())
                .put("transferId", UUID.randomUUID().toString()).put("points", 1_600)
                .put("amount", new JsonObject().put("value", 160_000).put("currency", "USD"))
                .put("occurredAt", OffsetDateTime.now().toString());

        tiers.apply(event).await().atMost(Duration.ofSeconds(10));
        tiers.apply(event).await().atMost(Duration.ofSeconds(10));

        given().get("/v1/members/{memberId}/tier", memberId).then().statusCode(200)
                .body("qualifyingSpend", equalTo(160_000)).body("tier", equalTo("BASIC"));
        tiers.apply(event.copy().put("transferId", UUID.randomUUID().toString())).await().atMost(Duration.ofSeconds(10));
        assertEquals("SILVER", tierOf(memberId), "a second, distinct purchase qualifies");
    }
}
