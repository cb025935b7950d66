package io.pointsledger.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pointsledger.partners.Caller;
import io.pointsledger.platform.ProblemException;
import io.pointsledger.support.Concurrently;
import io.pointsledger.support.Database;
import io.pointsledger.support.LedgerApi;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Opening balances racing for one member, each write in a transaction of its own (no group commit
 * to put them one after the other): the member's lock decides, and exactly one is credited.
 */
@QuarkusTest
@TestProfile(io.pointsledger.support.EveryWriteOnItsOwn.class)
class MigrationRaceTest {

    private static final int WRITES = 16;

    @Inject
    LedgerService ledger;

    @Inject
    Pool pool;

    @Test
    void shouldCreditOneOpeningBalanceWhateverTheWritesThatRaceForIt() throws Exception {
        UUID memberId = LedgerApi.enroll();
        String run = UUID.randomUUID().toString();

        List<String> outcomes = Concurrently.run(WRITES, index -> ledger.migrate(Caller.OPERATOR, memberId, run + "-" + index,
                        new MigrationRequest(100 + index, null, "OLD-" + index, "race"))
                .map(posted -> "APPLIED:" + posted.receipt().points())
                .onFailure(ProblemException.class).recoverWithItem(failure -> ((ProblemException) failure).code().name())
                .await().atMost(Duration.ofSeconds(30)));

        List<String> applied = outcomes.stream().filter(outcome -> outcome.startsWith("APPLIED")).toList();
        assertEquals(1, applied.size(), outcomes.toString());
        assertEquals(WRITES - 1, outcomes.stream().filter("MEMBER_ALREADY_MIGRATED"::equals).count(), outcomes.toString());
        assertEquals(1L, Database.single(pool, "SELECT count(*) FROM transfers WHERE member_id = $1 AND kind = 'MIGRATION'", memberId)
                .getLong(0));
        assertEquals(Long.parseLong(applied.get(0).substring("APPLIED:".length())), LedgerApi.available(memberId));
        LedgerApi.assertReconciles();
    }
}
