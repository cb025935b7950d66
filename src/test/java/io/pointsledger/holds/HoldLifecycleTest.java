package io.pointsledger.holds;

import static io.pointsledger.support.Holds.capture;
import static io.pointsledger.support.Holds.hold;
import static io.pointsledger.support.Holds.holdId;
import static io.pointsledger.support.Holds.voidHold;
import static io.pointsledger.support.LedgerApi.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pointsledger.ledger.LedgerService;
import io.pointsledger.support.Database;
import io.pointsledger.support.LedgerApi;
import io.pointsledger.support.MovableClock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The hold state machine: every transition allowed and refused, each idempotent on retry. */
@QuarkusTest
class HoldLifecycleTest {

    @Inject
    Pool pool;

    @Inject
    MovableClock clock;

    @Inject
    LedgerService ledger;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    private static void assertBalance(UUID memberId, long posted, long held) {
        given().get("/v1/members/{memberId}/balance", memberId).then().statusCode(200)
                .body("posted", equalTo((int) posted)).body("held", equalTo((int) held))
                .body("available", equalTo((int) (posted - held)));
    }

    @Test
    void shouldReserveOnHoldAndPostOnCapture() {
        UUID memberId = LedgerApi.enrollWithPoints(1_000);

        Response held = hold(memberId, "hold-" + memberId, 300, null);
        held.then().statusCode(201)
                .body("status", equalTo("PENDING")).body("points", equalTo(300))
                .body("available", equalTo(700)).body("expiresAt", notNullValue());
        assertBalance(memberId, 1_000, 300);
        String holdId = held.path("holdId");

        capture(holdId, "capture-" + holdId, null).then().statusCode(200)
                .body("status", equalTo("CAPTURED")).body("capturedPoints", equalTo(300)).body("available", equalTo(700));
        assertBalance(memberId, 700, 0);
        given().get("/v1/holds/{holdId}", holdId).then().statusCode(200).body("status", equalTo("CAPTURED"));
        LedgerApi.assertReconciles();
    }

    @Test
    void shouldPostAPartialCaptureAndReleaseTheRest() {
        UUID memberId = LedgerApi.enrollWithPoints(1_000);
        String holdId = holdId(memberId, 400);

        capture(holdId, "partial-" + holdId, 150L).then().statusCode(200)
                .body("status", equalTo("CAPTURED")).body("capturedPoints", equalTo(150)).body("points", equalTo(400));

        assertBalance(memberId, 850, 0);
        LedgerApi.assertReconciles();
    }

    /** The body is optional: no body, {} and a JSON null all capture everything held. */
    @ParameterizedTest(name = "body {0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"null", "{}", " "})
    void shouldCaptureEverythingWithoutPoints(String body) {
        UUID memberId = LedgerApi.enrollWithPoints(1_000);
        String holdId = holdId(memberId, 250);

        given().contentType("application/json").header("Idempotency-Key", "full-" + holdId).body(body)
                .post("/v1/holds/{holdId}/capture", holdId).then().statusCode(200)
                .body("status", equalTo("CAPTURED")).body("capturedPoints", equalTo(250));
        assertBalance(memberId, 750, 0);
    }

    @Test
    void shouldReleaseOnVoid() {
        UUID memberId = LedgerApi.enrollWithPoints(500);
        String holdId = holdId(memberId, 500);
        assertBalance(memberId, 500, 500);

        voidHold(holdId, "void-" + holdId).then().statusCode(200).body("status", equalTo("VOIDED"));

        assertBalance(memberId, 500, 0);
        LedgerApi.assertReconciles();
    }

    @Test
    void shouldReleaseAnExpiredHoldAndRefuseToCaptureIt() {
        UUID memberId = LedgerApi.enrollWithPoints(500);
        String holdId = hold(memberId, "short-" + memberId, 200, 60L).then().statusCode(201).extract().path("holdId");

        clock.moveForward(Duration.ofSeconds(61));
        capture(holdId, "late-capture-" + holdId, null).then().statusCode(409).body("code", equalTo("HOLD_NOT_PENDING"));
        assertBalance(memberId, 500, 200);
        ledger.expireHolds(10_000).await().atMost(Duration.ofSeconds(30));

        given().get("/v1/holds/{holdId}", holdId).then().statusCode(200).body("status", equalTo("EXPIRED"));
        assertBalance(memberId, 500, 0);
        assertEquals("HOLD_EXPIRED", Database.single(pool,
                "SELECT kind FROM transfers WHERE related_transfer_id = $1", UUID.fromString(holdId)).getString(0));
        voidHold(holdId, "late-void-" + holdId).then().statusCode(409).body("code", equalTo("HOLD_NOT_PENDING"));
        LedgerApi.assertReconciles();
    }

    /** How a hold was resolved, and how to try each move afterwards. */
    static Stream<Arguments> resolvedHolds() {
        Function<String, Response> captured = holdId -> capture(holdId, UUID.randomUUID().toString(), null);
        Function<String, Response> partlyCaptured = holdId -> capture(holdId, UUID.randomUUID().toString(), 1L);
        Function<String, Response> voided = holdId -> voidHold(holdId, UUID.randomUUID().toString());
        return Stream.of(
                Arguments.of("captured", captured),
                Arguments.of("partly captured", partlyCaptured),
                Arguments.of("voided", voided));
    }

    @ParameterizedTest(name = "{0} hold refuses capture, partial capture and void")
    @MethodSource("resolvedHolds")
    void shouldRefuseEveryMoveOnceResolved(String resolution, Function<String, Response> resolve) {
        UUID memberId = LedgerApi.enrollWithPoints(100);
        String holdId = holdId(memberId, 50);
        resolve.apply(holdId).then().statusCode(200);
        var before = Database.account(pool, memberId);

        capture(holdId, UUID.randomUUID().toString(), null).then().statusCode(409).body("code", equalTo("HOLD_NOT_PENDING"));
        capture(holdId, UUID.randomUUID().toString(), 10L).then().statusCode(409).body("code", equalTo("HOLD_NOT_PENDING"));
        voidHold(holdId, UUID.randomUUID().toString()).then().statusCode(409).body("code", equalTo("HOLD_NOT_PENDING"));

        var after = Database.account(pool, memberId);
        assertEquals(before.getLong("version"), after.getLong("version"), "nothing changed");
        LedgerApi.assertReconciles();
    }

    @Test
    void shouldReplayEveryStepOnRetry() {
        UUID memberId = LedgerApi.enrollWithPoints(100);
        String holdKey = "retry-hold-" + memberId;
        String holdId = hold(memberId, holdKey, 60, null).then().statusCode(201).extract().path("holdId");
        hold(memberId, holdKey, 60, null).then().statusCode(201).header("Idempotent-Replayed", "true")
                .body("holdId", equalTo(holdId)).body("status", equalTo("PENDING"));

        capture(holdId, "retry-capture-" + holdId, 20L).then().statusCode(200);
        capture(holdId, "retry-capture-" + holdId, 20L).then().statusCode(200).header("Idempotent-Replayed", "true")
                .body("status", equalTo("CAPTURED")).body("capturedPoints", equalTo(20));
        capture(holdId, "retry-capture-" + holdId, 30L).then().statusCode(422).body("code", equalTo("IDEMPOTENCY_KEY_REUSED"));

        String other = holdId(memberId, 10);
        voidHold(other, "retry-void-" + other).then().statusCode(200);
        voidHold(other, "retry-void-" + other).then().statusCode(200).header("Idempotent-Replayed", "true")
                .body("status", equalTo("VOIDED"));
        assertBalance(memberId, 80, 0);
        assertEquals(5, Database.transferCount(pool, memberId), "earn, hold, capture, hold, void");
    }

    @Test
    void shouldRefuseHoldsThatWouldOverdrawOrOutliveTheLimit() {
        UUID memberId = LedgerApi.enrollWithPoints(100);
        hold(memberId, UUID.randomUUID().toString(), 101, null).then().statusCode(409).body("code", equalTo("INSUFFICIENT_POINTS"));
        String holdId = holdId(memberId, 80);
        hold(memberId, UUID.randomUUID().toString(), 21, null).then().statusCode(409).body("code", equalTo("INSUFFICIENT_POINTS"));
        LedgerApi.redeem(memberId, UUID.randomUUID().toString(), 21).then().statusCode(409);
        hold(memberId, UUID.randomUUID().toString(), 1, 604_801L).then().statusCode(400).body("code", equalTo("VALIDATION_FAILED"));
        capture(holdId, UUID.randomUUID().toString(), 81L).then().statusCode(409).body("code", equalTo("CAPTURE_EXCEEDS_HOLD"));
        capture(holdId, UUID.randomUUID().toString(), 0L).then().statusCode(400).body("code", equalTo("VALIDATION_FAILED"));
        capture(UUID.randomUUID().toString(), UUID.randomUUID().toString(), null).then().statusCode(404).body("code", equalTo("HOLD_NOT_FOUND"));
        voidHold(holdId, null).then().statusCode(400).body("code", equalTo("IDEMPOTENCY_KEY_REQUIRED"));
        assertBalance(memberId, 100, 80);
    }
}
