package io.pointsledger.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pointsledger.support.Database;
import io.pointsledger.support.LedgerApi;
import io.pointsledger.support.OwnerDatabase;
import io.pointsledger.support.Partners;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.pgclient.PgException;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The database itself refuses to edit the ledger, whatever the application does. The refusals are
 * tried as the owner of the tables, who holds every privilege on them: the triggers, not the
 * grants, are what hold here (DatabaseRolesTest proves the runtime role is refused before them).
 */
@QuarkusTest
class AppendOnlyTransfersTest {

    @Inject
    Pool pool;

    @Inject
    OwnerDatabase owner;

    @Test
    void shouldRefuseUpdateDeleteAndTruncateOfTransfers() {
        UUID memberId = LedgerApi.enrollWithPoints(50);

        assertRefused(() -> Database.execute(owner.pool(), "UPDATE transfers SET points = 5000 WHERE member_id = $1", memberId));
        assertRefused(() -> Database.execute(owner.pool(), "DELETE FROM transfers WHERE member_id = $1", memberId));
        assertRefused(() -> Database.execute(owner.pool(), "TRUNCATE transfers CASCADE"));

        assertEquals(1, Database.transferCount(pool, memberId));
        assertEquals(50, Database.single(pool, "SELECT points FROM transfers WHERE member_id = $1", memberId).getLong(0));
    }

    @Test
    void shouldRefuseUpdateDeleteAndTruncateOfTheAuditLogAndTheLotMovements() {
        UUID memberId = LedgerApi.enrollWithPoints(50);
        // A redeem leaves a lot movement; creating a partner leaves an audit entry: rows for the row triggers to refuse.
        LedgerApi.redeem(memberId, UUID.randomUUID().toString(), 10).then().statusCode(201);
        Partners.create(100, "read");
        long auditEntries = Database.single(pool, "SELECT count(*) FROM audit_log").getLong(0);
        long lotMovements = Database.single(pool, "SELECT count(*) FROM lot_movements").getLong(0);
        assertTrue(auditEntries > 0 && lotMovements > 0, "rows for the row triggers");

        for (String table : new String[] {"audit_log", "lot_movements"}) {
            assertRefused(() -> Database.execute(owner.pool(), "UPDATE " + table + " SET " + anyColumn(table) + " = " + anyColumn(table)));
            assertRefused(() -> Database.execute(owner.pool(), "DELETE FROM " + table));
            assertRefused(() -> Database.execute(owner.pool(), "TRUNCATE " + table + " CASCADE"));
        }

        assertEquals(auditEntries, Database.single(pool, "SELECT count(*) FROM audit_log").getLong(0));
        assertEquals(lotMovements, Database.single(pool, "SELECT count(*) FROM lot_movements").getLong(0));
    }

    private String anyColumn(String table) {
        return Database.single(pool, "SELECT column_name FROM information_schema.columns WHERE table_name = $1 AND is_identity = 'NO' LIMIT 1", table)
                .getString(0);
    }

    @Test
    void shouldRefuseATransferWhoseEffectContradictsItsKind() {
        UUID memberId = LedgerApi.enroll();
        assertRefused(() -> Database.execute(pool, """
                INSERT INTO transfers (transfer_id, kind, member_id, points, posted_delta, held_delta, partner_id, channel, occurred_at)
                VALUES (gen_random_uuid(), 'EARN', $1, 10, 1000, 0, 'operator', 'POS', now())""", memberId));
    }

    private static void assertRefused(Runnable statement) {
        PgException refusal = assertThrows(PgException.class, statement::run);
        assertTrue(refusal.getSqlState().equals("LDG00") || refusal.getSqlState().equals("23514"), refusal.getMessage());
    }
}
