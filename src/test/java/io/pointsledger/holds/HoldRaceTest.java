package io.pointsledger.holds;

import static io.pointsledger.support.Holds.capture;
import static io.pointsledger.support.Holds.holdId;
import static io.pointsledger.support.Holds.voidHold;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pointsledger.support.Concurrently;
import io.pointsledger.support.Database;
import io.pointsledger.support.Holds;
import io.pointsledger.support.LedgerApi;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

@QuarkusTest
class HoldRaceTest {

    @Inject
    Pool pool;

    @Test
    void shouldLetExactlyOneOfFiftyConcurrentCapturesAndVoidsWin() throws Exception {
        UUID memberId = LedgerApi.enrollWithPoints(1_000);
        String holdId = holdId(memberId, 400);

        List<Response> responses = Concurrently.run(50, index -> index % 2 == 0
                ? capture(holdId, "race-capture-" + index + "-" + holdId, null)
                : voidHold(holdId, "race-void-" + index + "-" + holdId));

        Map<Integer, Long> statuses = responses.stream().collect(Collectors.groupingBy(Response::statusCode, Collectors.counting()));
        assertEquals(Map.of(200, 1L, 409, 49L), statuses);
        assertEquals(1, Database.single(pool, """
                SELECT count(*) FROM transfers WHERE related_transfer_id = $1 AND kind IN ('CAPTURE', 'VOID')""",
                UUID.fromString(holdId)).getLong(0));
        String winner = responses.stream().filter(response -> response.statusCode() == 200).findFirst().orElseThrow().path("status");
        long expectedPosted = "CAPTURED".equals(winner) ? 600 : 1_000;
        assertEquals(expectedPosted, Database.account(pool, memberId).getLong("posted"));
        assertEquals(0, Database.account(pool, memberId).getLong("held"));
        LedgerApi.assertReconciles();
    }

    @Test
    void shouldLetExactlyOneOfTwentyConcurrentCapturesWinAndRefuseTheRestAsNotPending() throws Exception {
        UUID memberId = LedgerApi.enrollWithPoints(1_000);
        String holdId = holdId(memberId, 400);

        // Captures are group-committed like any write; whichever batches they share, one wins.
        List<Response> responses = Concurrently.run(20, index -> capture(holdId, "capture-race-" + index + "-" + holdId, null));

        Map<Integer, Long> statuses = responses.stream().collect(Collectors.groupingBy(Response::statusCode, Collectors.counting()));
        assertEquals(Map.of(200, 1L, 409, 19L), statuses);
        assertTrue(responses.stream().filter(response -> response.statusCode() == 409)
                .allMatch(response -> "HOLD_NOT_PENDING".equals(response.path("code"))));
        assertEquals(600, Database.account(pool, memberId).getLong("posted"));
        assertEquals(0, Database.account(pool, memberId).getLong("held"));
        LedgerApi.assertReconciles();
    }

    @Test
    void shouldNeverOverdrawWithHoldsAndRedeemsRacing() throws Exception {
        UUID memberId = LedgerApi.enrollWithPoints(1_000);

        List<Response> responses = Concurrently.run(60, index -> index % 2 == 0
                ? Holds.hold(memberId, "race-hold-" + index + "-" + memberId, 50, null)
                : LedgerApi.redeem(memberId, "race-redeem-" + index + "-" + memberId, 50));

        long accepted = responses.stream().filter(response -> response.statusCode() == 201).count();
        assertEquals(20, accepted, "1000 points cover exactly twenty 50-point holds or redeems");
        assertTrue(responses.stream().allMatch(response -> response.statusCode() == 201 || response.statusCode() == 409));
        var account = Database.account(pool, memberId);
        assertEquals(0, account.getLong("posted") - account.getLong("held"));
        LedgerApi.assertReconciles();
    }
}
