package io.pointsledger.ledger;

import static io.pointsledger.support.LedgerApi.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pointsledger.support.LedgerApi;
import io.pointsledger.support.OwnerDatabase;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A reconciliation reads every account, transfer, lot and movement: at a few million transfers it
 * runs longer than the statement timeout that bounds every other statement (5 s), and has a
 * timeout of its own (2 min).
 */
@QuarkusTest
class ReconciliationTimeoutTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** Longer than the pool's statement timeout (5 s). */
    private static final long HELD_SECONDS = 7;

    @Inject
    OwnerDatabase owner;

    @Test
    void shouldAnswerAReconciliationThatRunsLongerThanTheStatementTimeout() {
        LedgerApi.enrollWithPoints(10);
        SqlConnection blocker = owner.pool().getConnection().await().atMost(TIMEOUT);
        try {
            // The reconciliation waits for the lock as it would read a table too large for 5 s.
            blocker.query("BEGIN").execute().await().atMost(TIMEOUT);
            blocker.query("LOCK TABLE lot_movements IN ACCESS EXCLUSIVE MODE").execute().await().atMost(TIMEOUT);
            CompletableFuture.runAsync(() -> blocker.query("ROLLBACK").execute().await().atMost(TIMEOUT),
                    CompletableFuture.delayedExecutor(HELD_SECONDS, TimeUnit.SECONDS));

            long started = System.nanoTime();
            given().get("/v1/admin/reconciliation").then().statusCode(200).body("mismatchCount", equalTo(0));
            assertTrue(System.nanoTime() - started >= TimeUnit.SECONDS.toNanos(HELD_SECONDS - 1),
                    "the reconciliation waited for the lock");
        } finally {
            blocker.query("ROLLBACK").execute().await().atMost(TIMEOUT);
            blocker.close().await().atMost(TIMEOUT);
        }
    }
}
