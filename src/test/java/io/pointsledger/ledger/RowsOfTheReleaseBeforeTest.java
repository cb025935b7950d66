package io.pointsledger.ledger;

import static io.pointsledger.support.LedgerApi.earnPoints;
import static io.pointsledger.support.LedgerApi.redeem;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pointsledger.support.LedgerApi;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * During the rolling deploy onto V17, instances of the release before write rows without the
 * member column V17 added: the member is filled in from what the row names, as the runtime role
 * writes them. Each insert runs in a transaction rolled back, leaving the ledger as it was.
 */
@QuarkusTest
class RowsOfTheReleaseBeforeTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @Inject
    Pool pool;

    @Test
    void shouldFillTheMemberOfAnAnswerALotMovementAndAnAppliedReversalWrittenWithoutIt() {
        UUID memberId = LedgerApi.enrollWithPoints(100);
        String redeemed = redeem(memberId, "spent-" + memberId, 30).then().statusCode(201).extract().path("transactionId");
        String earned = earnPoints(memberId, "earned-" + memberId, 5).then().statusCode(201).extract().path("transactionId");
        SqlConnection connection = pool.getConnection().await().atMost(TIMEOUT);
        try {
            connection.query("BEGIN").execute().await().atMost(TIMEOUT);
            assertEquals(memberId, insertedMember(connection, """
                    INSERT INTO idempotency_keys (partner_id, idempotency_key, request_fingerprint, response_status,
                                                  response_body, expires_at)
                    VALUES ('operator', 'release-before-' || $1::text, '\\x00', 201,
                            jsonb_build_object('memberId', $1::uuid), now() + interval '1 day')
                    RETURNING member_id""", Tuple.of(memberId.toString())));
            assertEquals(memberId, insertedMember(connection, """
                    INSERT INTO lot_movements (transfer_id, lot_id, points)
                    SELECT $2::uuid, lot_id, -1 FROM point_lots WHERE member_id = $1 LIMIT 1
                    RETURNING member_id""", Tuple.of(memberId, UUID.fromString(earned))));
            assertEquals(memberId, insertedMember(connection, """
                    INSERT INTO tier_reversals_applied (transfer_id) VALUES ($1) RETURNING member_id""",
                    Tuple.of(UUID.fromString(redeemed))));
        } finally {
            connection.query("ROLLBACK").execute().await().atMost(TIMEOUT);
            connection.close().await().atMost(TIMEOUT);
        }
    }

    private static UUID insertedMember(SqlConnection connection, String insert, Tuple arguments) {
        return connection.preparedQuery(insert).execute(arguments).await().atMost(TIMEOUT).iterator().next().getUUID("member_id");
    }
}
