package io.pointsledger.ledger;

import static io.pointsledger.support.LedgerApi.earnPoints;
import static io.pointsledger.support.LedgerApi.enroll;
import static io.pointsledger.support.LedgerApi.enrollWithPoints;
import static io.pointsledger.support.LedgerApi.redeem;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.pointsledger.support.Concurrently;
import io.pointsledger.support.Database;
import io.pointsledger.support.LedgerApi;
import io.pointsledger.support.OwnerDatabase;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

@QuarkusTest
class IdempotencyTest {

    @Inject
    Pool pool;

    @Inject
    ObjectMapper mapper;

    @Inject
    OwnerDatabase owner;

    @Test
    void shouldReplayTheOriginalAnswerForTheSameKeyAndBody() {
        UUID memberId = enroll();
        String key = "replay-" + memberId;
        Response original = earnPoints(memberId, key, 40);
        original.then().statusCode(201);
        assertNull(original.getHeader("Idempotent-Replayed"));
        earnPoints(memberId, "later-" + memberId, 5).then().statusCode(201);

        Response replay = earnPoints(memberId, key, 40);

        replay.then().statusCode(201).header("Idempotent-Replayed", "true");
        assertEquals(original.asString(), replay.asString(), "the replay is the original body, balance included");
        assertEquals(2, Database.transferCount(pool, memberId));
        assertEquals(45, LedgerApi.available(memberId));
    }

    @Test
    void shouldStoreTheVersionedFingerprint() {
        UUID memberId = enroll();
        String key = "versioned-" + memberId;
        earnPoints(memberId, key, 40).then().statusCode(201);

        byte[] stored = storedFingerprint(key);
        assertEquals(33, stored.length, "a version byte and a SHA-256");
        assertEquals(RequestFingerprint.VERSION, stored[0]);
        earnPoints(memberId, key, 40).then().statusCode(201).header("Idempotent-Replayed", "true");
        earnPoints(memberId, key, 41).then().statusCode(422).body("code", equalTo("IDEMPOTENCY_KEY_REUSED"));
        assertEquals(1, Database.transferCount(pool, memberId));
    }

    @Test
    void shouldReplayAnAnswerStoredWithTheFingerprintOfTheReleasesBefore() {
        UUID memberId = enroll();
        String key = "legacy-" + memberId;
        earnPoints(memberId, key, 40).then().statusCode(201);
        // As the releases before stored it: the SHA-256 of the request's Jackson form.
        EarnRequest asParsed = new EarnRequest("order-" + key, new Money(100L, "USD"), null, SalesChannel.POS, 40L, null);
        byte[] releaseBefore = RequestFingerprint.legacy(mapper, TransferKind.EARN, memberId, asParsed);
        owner.pool().preparedQuery("UPDATE idempotency_keys SET request_fingerprint = $1 WHERE idempotency_key = $2")
                .executeAndAwait(Tuple.of(Buffer.buffer(releaseBefore), key));
        assertArrayEquals(releaseBefore, storedFingerprint(key));

        earnPoints(memberId, key, 40).then().statusCode(201).header("Idempotent-Replayed", "true");
        earnPoints(memberId, key, 41).then().statusCode(422).body("code", equalTo("IDEMPOTENCY_KEY_REUSED"));
        assertEquals(1, Database.transferCount(pool, memberId));
    }

    private byte[] storedFingerprint(String key) {
        return Database.single(pool, "SELECT request_fingerprint FROM idempotency_keys WHERE idempotency_key = $1", key)
                .getBuffer("request_fingerprint").getBytes();
    }

    @Test
    void shouldRefuseTheSameKeyWithADifferentBody() {
        UUID memberId = enroll();
        String key = "reused-" + memberId;
        earnPoints(memberId, key, 40).then().statusCode(201);

        earnPoints(memberId, key, 41).then()
                .statusCode(422)
                .contentType("application/problem+json")
                .body("code", equalTo("IDEMPOTENCY_KEY_REUSED"));
        redeem(memberId, key, 1).then().statusCode(422).body("code", equalTo("IDEMPOTENCY_KEY_REUSED"));
        assertEquals(1, Database.transferCount(pool, memberId));
    }

    /**
     * A key names one request of a partner for one member: the answer is stored with the member's
     * rows, so that it lives on the member's shard once the ledger is split by member.
     */
    @Test
    void shouldTakeTheSameKeyForAnotherMemberAsAnotherRequestAndReplayEachOnce() {
        UUID first = enroll();
        UUID second = enroll();
        String key = "other-member-" + first;
        Response firstAnswer = earnPoints(first, key, 10);
        firstAnswer.then().statusCode(201);

        Response secondAnswer = earnPoints(second, key, 10);
        secondAnswer.then().statusCode(201);
        assertNull(secondAnswer.getHeader("Idempotent-Replayed"));
        assertEquals(second.toString(), secondAnswer.path("memberId"));

        assertEquals(firstAnswer.asString(), earnPoints(first, key, 10).then().statusCode(201)
                .header("Idempotent-Replayed", "true").extract().asString());
        assertEquals(secondAnswer.asString(), earnPoints(second, key, 10).then().statusCode(201)
                .header("Idempotent-Replayed", "true").extract().asString());
        earnPoints(second, key, 11).then().statusCode(422).body("code", equalTo("IDEMPOTENCY_KEY_REUSED"));
        assertEquals(1, Database.transferCount(pool, first));
        assertEquals(1, Database.transferCount(pool, second));
    }

    @Test
    void shouldApplyTwentyConcurrentIdenticalRequestsOnce() throws Exception {
        UUID memberId = enroll();
        String key = "concurrent-" + memberId;

        List<Response> responses = Concurrently.run(20, index -> earnPoints(memberId, key, 70));

        assertEquals(Set.of(201), responses.stream().map(Response::statusCode).collect(Collectors.toSet()));
        assertEquals(1, responses.stream().map(response -> response.jsonPath().getString("transactionId")).distinct().count());
        assertEquals(19, responses.stream().filter(response -> "true".equals(response.getHeader("Idempotent-Replayed"))).count());
        assertEquals(1, Database.transferCount(pool, memberId));
        assertEquals(70, LedgerApi.available(memberId));
    }

    @Test
    void shouldApplyConcurrentRetriesOfOneRedeemOnce() throws Exception {
        UUID memberId = enrollWithPoints(100);
        String key = "concurrent-redeem-" + memberId;

        List<Response> responses = Concurrently.run(20, index -> redeem(memberId, key, 30));

        assertEquals(Set.of(201), responses.stream().map(Response::statusCode).collect(Collectors.toSet()));
        assertEquals(70, LedgerApi.available(memberId));
        assertEquals(2, Database.transferCount(pool, memberId));
    }

    @Test
    void shouldNotStoreARefusalSoThatARetryCanSucceedLater() {
        UUID memberId = enroll();
        String key = "refused-then-ok-" + memberId;
        redeem(memberId, key, 10).then().statusCode(409).body("code", equalTo("INSUFFICIENT_POINTS"));
        earnPoints(memberId, "top-up-" + memberId, 10).then().statusCode(201);

        redeem(memberId, key, 10).then().statusCode(201);
        assertEquals(0, LedgerApi.available(memberId));
    }

    @Test
    void shouldScopeKeysPerCallerAndKeepThemForTheRetentionPeriod() {
        UUID memberId = enroll();
        String key = "retention-" + memberId;
        earnPoints(memberId, key, 1).then().statusCode(201);

        var row = Database.single(pool, """
                SELECT partner_id, expires_at - created_at >= interval '24 hours' AS kept_a_day
                  FROM idempotency_keys WHERE idempotency_key = $1""", key);
        assertEquals("operator", row.getString("partner_id"));
        assertEquals(Boolean.TRUE, row.getBoolean("kept_a_day"));
    }
}
