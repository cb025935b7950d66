package io.pointsledger.ledger;

import static io.pointsledger.support.LedgerApi.enrollWithPoints;
import static io.pointsledger.support.LedgerApi.redeem;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pointsledger.support.Concurrently;
import io.pointsledger.support.Database;
import io.pointsledger.support.LedgerApi;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ConcurrentRedeemTest {

    @Inject
    Pool pool;

    @Test
    void shouldNeverOverdrawUnderOneHundredConcurrentRedeems() throws Exception {
        UUID memberId = enrollWithPoints(500);

        List<Response> responses = Concurrently.run(100, index -> redeem(memberId, "race-" + index + "-" + memberId, 10));

        Map<Integer, Long> statuses = responses.stream()
                .collect(Collectors.groupingBy(Response::statusCode, Collectors.counting()));
        assertEquals(Map.of(201, 50L, 409, 50L), statuses);
        responses.stream().filter(response -> response.statusCode() == 409)
                .forEach(response -> assertEquals("INSUFFICIENT_POINTS", response.jsonPath().getString("code")));
        assertEquals(0, LedgerApi.available(memberId));
        assertEquals(0, Database.account(pool, memberId).getLong("posted"));
        assertEquals(51, Database.transferCount(pool, memberId));
        LedgerApi.assertReconciles();
    }

    @Test
    void shouldKeepEveryAcknowledgedEarnUnderConcurrency() throws Exception {
        UUID memberId = LedgerApi.enroll();

        List<Response> responses = Concurrently.run(50, index -> LedgerApi.earnPoints(memberId, "earn-race-" + index + "-" + memberId, index + 1));

        assertEquals(Map.of(201, 50L), responses.stream()
                .collect(Collectors.groupingBy(Response::statusCode, Collectors.counting())));
        long acknowledged = responses.stream().mapToLong(response -> response.jsonPath().getLong("points")).sum();
        assertEquals(50 * 51 / 2, acknowledged);
        assertEquals(acknowledged, LedgerApi.available(memberId));
        assertEquals(acknowledged, Database.single(pool,
                "SELECT sum(posted_delta) FROM transfers WHERE member_id = $1", memberId).getLong(0));
        List<Long> versions = responses.stream().map(Function.identity())
                .map(response -> response.jsonPath().getLong("posted")).sorted().toList();
        assertEquals(50, versions.stream().distinct().count(), "each earn saw its own, distinct balance");
        LedgerApi.assertReconciles();
    }
}
