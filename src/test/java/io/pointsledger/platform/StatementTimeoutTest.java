package io.pointsledger.platform;

import static io.pointsledger.support.LedgerApi.enrollWithPoints;
import static io.pointsledger.support.LedgerApi.redeem;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pointsledger.support.Database;
import io.pointsledger.support.LedgerApi;
import io.pointsledger.support.OwnerDatabase;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A write PostgreSQL cancels at its statement timeout (here: stuck behind a row lock another
 * session holds) was rolled back: the client gets 503 with Retry-After, not 500, and the same
 * request retried once the lock is gone applies exactly once.
 */
@QuarkusTest
class StatementTimeoutTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Inject
    Pool pool;

    @Inject
    OwnerDatabase owner;

    @Test
    void shouldAnswerUnavailableForAWriteCancelledAtTheStatementTimeoutAndApplyItsRetryOnce() {
        UUID memberId = enrollWithPoints(100);
        long transfersBefore = Database.transferCount(pool, memberId);
        String key = "behind-a-lock-" + memberId;

        SqlConnection blocker = owner.pool().getConnection().await().atMost(TIMEOUT);
        try {
            blocker.query("BEGIN").execute().await().atMost(TIMEOUT);
            blocker.preparedQuery("SELECT 1 FROM member_accounts WHERE member_id = $1 FOR UPDATE")
                    .execute(Tuple.of(memberId)).await().atMost(TIMEOUT);

            redeem(memberId, key, 30).then()
                    .statusCode(503)
                    .contentType("application/problem+json")
                    .header("Retry-After", equalTo("2"))
                    .body("code", equalTo("SERVICE_UNAVAILABLE"));
            assertEquals(transfersBefore, Database.transferCount(pool, memberId), "the cancelled write left nothing");
        } finally {
            blocker.query("ROLLBACK").execute().await().atMost(TIMEOUT);
            blocker.close().await().atMost(TIMEOUT);
        }

        redeem(memberId, key, 30).then().statusCode(201);
        redeem(memberId, key, 30).then().statusCode(201).header("Idempotent-Replayed", "true");
        assertEquals(transfersBefore + 1, Database.transferCount(pool, memberId));
        assertEquals(70, LedgerApi.available(memberId));
    }
}
