package io.pointsledger.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pointsledger.support.Database;
import io.pointsledger.support.LedgerApi;
import io.pointsledger.support.Partners;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.pgclient.PgException;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The service's own pool logs in as the runtime role, which may not change the ledger's history or
 * the schema: PostgreSQL refuses it for lack of privilege (42501) before any trigger runs. And every
 * table has an explicit grant to that role, so a table added without one fails here by name.
 */
@QuarkusTest
class DatabaseRolesTest {

    private static final String INSUFFICIENT_PRIVILEGE = "42501";
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private static final Set<String> APPEND_ONLY = Set.of("SELECT", "INSERT");
    private static final Set<String> APPEND_ONLY_TABLES = Set.of("transfers", "audit_log", "lot_movements");

    /**
     * What the runtime role may do on each table, from the statements in the repositories and the
     * write functions (which run with the caller's privileges). Column privileges are written
     * {@code UPDATE(column)}. Keep in step with V12__runtime_role_grants.sql.
     */
    private static final Map<String, Set<String>> PRIVILEGES = new TreeMap<>(Map.ofEntries(
            Map.entry("transfers", APPEND_ONLY),
            Map.entry("audit_log", APPEND_ONLY),
            Map.entry("lot_movements", APPEND_ONLY),
            Map.entry("tier_reversals_applied", Set.of("SELECT", "INSERT")),
            Map.entry("recommendation_purchases", Set.of("SELECT", "INSERT")),
            Map.entry("members", Set.of("SELECT", "INSERT", "UPDATE")),
            Map.entry("member_external_ids", Set.of("SELECT", "INSERT", "DELETE")),
            Map.entry("campaigns", Set.of("SELECT", "INSERT", "UPDATE")),
            Map.entry("campaign_versions", Set.of("SELECT", "INSERT")),
            Map.entry("campaign_budgets", Set.of("SELECT", "INSERT", "UPDATE")),
            Map.entry("campaign_member_grants", Set.of("SELECT", "INSERT", "UPDATE")),
            Map.entry("campaign_occasions", Set.of("SELECT", "INSERT")),
            Map.entry("campaign_exposures", Set.of("SELECT", "INSERT", "UPDATE")),
            Map.entry("coupon_definitions", Set.of("SELECT", "INSERT")),
            Map.entry("coupon_batches", Set.of("SELECT", "INSERT", "UPDATE")),
            Map.entry("coupons", Set.of("SELECT", "INSERT", "UPDATE")),
            Map.entry("offers", Set.of("SELECT", "INSERT", "UPDATE")),
            Map.entry("rewards", Set.of("SELECT", "INSERT", "UPDATE")),
            Map.entry("reward_claims", Set.of("SELECT", "INSERT", "UPDATE")),
            Map.entry("causes", Set.of("SELECT", "INSERT", "UPDATE")),
            Map.entry("cause_entries", Set.of("SELECT", "INSERT")),
            Map.entry("churn_models", Set.of("SELECT", "INSERT")),
            Map.entry("churn_scores", Set.of("SELECT", "INSERT", "UPDATE", "DELETE")),
            Map.entry("churn_scoring_runs", Set.of("SELECT", "INSERT", "UPDATE")),
            Map.entry("member_segment_attributes", Set.of("SELECT", "INSERT", "UPDATE", "DELETE")),
            Map.entry("segment_attribute_runs", Set.of("SELECT", "INSERT", "UPDATE")),
            Map.entry("segments", Set.of("SELECT", "INSERT", "UPDATE")),
            Map.entry("segment_member_snapshots", Set.of("SELECT", "INSERT", "DELETE", "UPDATE(months_summed_from)",
                    "UPDATE(months_summed_before)", "UPDATE(months_summed_version)")),
            Map.entry("segment_snapshot_members", Set.of("SELECT", "INSERT", "DELETE")),
            Map.entry("segment_snapshot_member_months", Set.of("SELECT", "INSERT")),
            Map.entry("bookables", Set.of("SELECT", "INSERT")),
            Map.entry("reservation_slots", Set.of("SELECT", "INSERT", "UPDATE")),
            Map.entry("reservations", Set.of("SELECT", "INSERT", "UPDATE")),
            Map.entry("reservation_reminders", Set.of("SELECT", "INSERT", "UPDATE")),
            Map.entry("reservation_requests", Set.of("SELECT", "INSERT", "DELETE")),
            Map.entry("surveys", Set.of("SELECT", "INSERT", "UPDATE")),
            Map.entry("survey_responses", Set.of("SELECT", "INSERT", "UPDATE", "DELETE")),
            Map.entry("survey_invitations", Set.of("SELECT", "INSERT", "DELETE")),
            Map.entry("report_rollup_days", Set.of("SELECT", "INSERT", "UPDATE", "DELETE")),
            Map.entry("report_rollup_slices", Set.of("SELECT", "INSERT", "UPDATE", "DELETE")),
            Map.entry("report_transfer_days", Set.of("SELECT", "INSERT", "UPDATE", "DELETE")),
            Map.entry("report_bonus_days", Set.of("SELECT", "INSERT", "UPDATE", "DELETE")),
            Map.entry("report_lot_days", Set.of("SELECT", "INSERT", "UPDATE", "DELETE")),
            Map.entry("report_item_days", Set.of("SELECT", "INSERT", "UPDATE", "DELETE")),
            Map.entry("report_item_filter_days", Set.of("SELECT", "INSERT", "UPDATE", "DELETE")),
            Map.entry("report_hour_days", Set.of("SELECT", "INSERT", "UPDATE", "DELETE")),
            Map.entry("report_member_days", Set.of("SELECT", "INSERT", "UPDATE", "DELETE")),
            Map.entry("member_contact_consents", Set.of("SELECT", "INSERT", "UPDATE")),
            Map.entry("member_contact_preferences", Set.of("SELECT", "INSERT", "UPDATE")),
            Map.entry("unsubscribe_link_uses", Set.of("SELECT", "INSERT")),
            Map.entry("import_jobs", Set.of("SELECT", "INSERT", "UPDATE")),
            Map.entry("webhooks", Set.of("SELECT", "INSERT", "UPDATE", "DELETE")),
            Map.entry("webhook_secrets", Set.of("SELECT", "INSERT", "UPDATE")),
            Map.entry("webhook_events", Set.of("SELECT", "INSERT", "DELETE")),
            Map.entry("webhook_deliveries", Set.of("SELECT", "INSERT", "UPDATE", "DELETE")),
            Map.entry("announcements", Set.of("SELECT", "INSERT", "UPDATE")),
            Map.entry("member_messages", Set.of("SELECT", "INSERT", "UPDATE", "DELETE")),
            Map.entry("purchase_history", Set.of("SELECT", "INSERT", "UPDATE", "DELETE")),
            Map.entry("import_row_errors", Set.of("SELECT", "INSERT")),
            Map.entry("erased_external_ids", Set.of("SELECT", "INSERT")),
            Map.entry("member_accounts", Set.of("SELECT", "INSERT", "UPDATE")),
            Map.entry("holds", Set.of("SELECT", "INSERT", "UPDATE")),
            Map.entry("point_lots", Set.of("SELECT", "INSERT", "UPDATE")),
            Map.entry("tier_purchases", Set.of("SELECT", "INSERT", "UPDATE")),
            Map.entry("tier_status", Set.of("SELECT", "INSERT", "UPDATE")),
            Map.entry("tier_changes", Set.of("SELECT", "INSERT")),
            Map.entry("report_member_months", Set.of("SELECT", "INSERT", "UPDATE", "DELETE")),
            Map.entry("report_cohort_days", Set.of("SELECT", "INSERT", "UPDATE", "DELETE")),
            Map.entry("item_pairs", Set.of("SELECT", "INSERT", "UPDATE")),
            Map.entry("item_popularity", Set.of("SELECT", "INSERT", "UPDATE")),
            Map.entry("item_buyers", Set.of("SELECT", "INSERT", "UPDATE")),
            Map.entry("item_pair_buyers", Set.of("SELECT", "INSERT", "UPDATE")),
            Map.entry("recommendation_erasures", Set.of("SELECT", "INSERT", "UPDATE")),
            Map.entry("member_items", Set.of("SELECT", "INSERT", "UPDATE", "DELETE")),
            Map.entry("idempotency_keys", Set.of("SELECT", "INSERT", "DELETE")),
            Map.entry("outbox", Set.of("SELECT", "INSERT", "UPDATE", "DELETE")),
            Map.entry("outbox_relay_lease", Set.of("SELECT", "UPDATE")),
            Map.entry("dead_letters", Set.of("SELECT", "INSERT", "UPDATE")),
            Map.entry("partners", Set.of("SELECT", "INSERT", "UPDATE(created_at)")),
            Map.entry("partner_keys", Set.of("SELECT", "INSERT", "UPDATE(revoked_at)")),
            Map.entry("flyway_schema_history", Set.of())));

    /**
     * The functions the runtime role may execute: ledger_expiring (V15 dropped the write functions),
     * segment_quintile, which segment rules score with, and segment_snapshot_members_analyze, which
     * runs ANALYZE on that table alone as its owner.
     */
    private static final Set<String> EXECUTABLE = Set.of("ledger_expiring", "segment_quintile", "segment_snapshot_members_analyze");

    /** Privileges of the connected role on every table of schema public, table and column grants alike. */
    private static final String GRANTED = """
            SELECT c.relname AS table_name,
                   array_remove(array_cat(
                       ARRAY(SELECT a.privilege_type FROM aclexplode(c.relacl) a WHERE a.grantee = r.oid),
                       ARRAY(SELECT a.privilege_type || '(' || attribute.attname || ')'
                               FROM pg_attribute attribute, aclexplode(attribute.attacl) a
                              WHERE attribute.attrelid = c.oid AND a.grantee = r.oid)), NULL) AS privileges
              FROM pg_class c, pg_roles r
             WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p') AND r.rolname = current_user""";

    @Inject
    Pool pool;

    @Test
    void shouldRefuseTheRuntimeRoleAnyChangeOfTransfersForLackOfPrivilege() {
        UUID memberId = LedgerApi.enrollWithPoints(50);

        assertInsufficientPrivilege("UPDATE transfers SET points = 5000 WHERE member_id = '" + memberId + "'");
        assertInsufficientPrivilege("DELETE FROM transfers WHERE member_id = '" + memberId + "'");
        assertInsufficientPrivilege("TRUNCATE transfers CASCADE");
        assertInsufficientPrivilege("ALTER TABLE transfers ADD COLUMN forged_points bigint");
        assertInsufficientPrivilege("ALTER TABLE transfers DISABLE TRIGGER transfers_append_only_rows");
        assertInsufficientPrivilege("ALTER TABLE transfers DISABLE TRIGGER ALL");
        assertInsufficientPrivilege("DROP TRIGGER transfers_append_only_rows ON transfers");
        assertInsufficientPrivilege("DROP TRIGGER transfers_append_only_truncate ON transfers");
        assertInsufficientPrivilege("DROP FUNCTION transfers_refuse_change() CASCADE");

        assertEquals(50, Database.single(pool, "SELECT points FROM transfers WHERE member_id = $1", memberId).getLong(0));
    }

    @Test
    void shouldRefuseTheRuntimeRoleAnyChangeOfTheAuditLogForLackOfPrivilege() {
        // Creating a partner leaves an audit entry: a row an UPDATE or DELETE would reach.
        Partners.create(100, "read");

        assertInsufficientPrivilege("UPDATE audit_log SET actor = 'someone else'");
        assertInsufficientPrivilege("DELETE FROM audit_log");
        assertInsufficientPrivilege("TRUNCATE audit_log");
        assertInsufficientPrivilege("ALTER TABLE audit_log ADD COLUMN forged text");
        assertInsufficientPrivilege("ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only_rows");
        assertInsufficientPrivilege("DROP TRIGGER audit_log_append_only_rows ON audit_log");
        assertInsufficientPrivilege("DROP TRIGGER audit_log_append_only_truncate ON audit_log");
    }

    @Test
    void shouldRefuseTheRuntimeRoleToCreateTablesOrFunctions() {
        assertInsufficientPrivilege("CREATE TABLE shadow_transfers (points bigint)");
        assertInsufficientPrivilege("CREATE FUNCTION shadow() RETURNS integer LANGUAGE sql AS 'SELECT 1'");
    }

    @Test
    void shouldGrantTheRuntimeRoleExactlyTheListedPrivilegesOnEveryTable() {
        Map<String, Set<String>> granted = new TreeMap<>();
        for (Row table : pool.query(GRANTED).execute().await().atMost(TIMEOUT)) {
            granted.put(table.getString("table_name"), new TreeSet<>(Arrays.asList(table.getArrayOfStrings("privileges"))));
        }

        List<String> problems = new ArrayList<>();
        for (String table : granted.keySet()) {
            if (!PRIVILEGES.containsKey(table)) {
                problems.add(table + " has no privilege classification here; grant the runtime role what the code needs "
                        + "in the migration that creates it, and list it in DatabaseRolesTest.PRIVILEGES");
            } else if (!granted.get(table).equals(new TreeSet<>(PRIVILEGES.get(table)))) {
                problems.add(table + ": runtime role holds " + granted.get(table) + ", expected " + new TreeSet<>(PRIVILEGES.get(table)));
            }
        }
        for (String table : PRIVILEGES.keySet()) {
            if (!granted.containsKey(table)) {
                problems.add(table + " is classified but no longer exists");
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void shouldProtectEveryAppendOnlyTableWithTriggersAgainstUpdateDeleteAndTruncate() {
        for (String table : APPEND_ONLY_TABLES) {
            Row refused = Database.single(pool, """
                    SELECT bool_or(t.tgtype & 8 <> 0) AS delete, bool_or(t.tgtype & 16 <> 0) AS update,
                           bool_or(t.tgtype & 32 <> 0) AS truncate
                      FROM pg_trigger t
                     WHERE t.tgrelid = $1::regclass AND NOT t.tgisinternal AND t.tgenabled <> 'D' AND t.tgtype & 2 <> 0""",
                    table);
            assertTrue(Boolean.TRUE.equals(refused.getBoolean("update")), table + " lacks a BEFORE UPDATE trigger");
            assertTrue(Boolean.TRUE.equals(refused.getBoolean("delete")), table + " lacks a BEFORE DELETE trigger");
            assertTrue(Boolean.TRUE.equals(refused.getBoolean("truncate")), table + " lacks a BEFORE TRUNCATE trigger");
        }
    }

    @Test
    void shouldConnectAsARoleThatOwnsNothingAndMayNotGrantItselfMore() {
        Row role = Database.single(pool, """
                SELECT r.rolsuper, r.rolcreaterole, r.rolcreatedb, r.rolbypassrls,
                       (SELECT count(*) FROM pg_class c WHERE c.relowner = r.oid) AS relations,
                       (SELECT count(*) FROM pg_proc p WHERE p.proowner = r.oid) AS functions,
                       (SELECT count(*) FROM pg_namespace n WHERE n.nspowner = r.oid) AS schemas,
                       (SELECT count(*) FROM pg_database d WHERE d.datdba = r.oid) AS databases
                  FROM pg_roles r WHERE r.rolname = current_user""");
        assertFalse(role.getBoolean("rolsuper"), "superuser");
        assertFalse(role.getBoolean("rolcreaterole"), "may create roles");
        assertFalse(role.getBoolean("rolcreatedb"), "may create databases");
        assertFalse(role.getBoolean("rolbypassrls"), "bypasses row security");
        assertEquals(0, role.getLong("relations"), "owns tables, sequences or indexes");
        assertEquals(0, role.getLong("functions"), "owns functions");
        assertEquals(0, role.getLong("schemas"), "owns schemas");
        assertEquals(0, role.getLong("databases"), "owns databases");
    }

    @Test
    void shouldLeaveNoFunctionOfTheSchemaExecutableByEveryone() {
        // A NULL acl is the default, which lets PUBLIC execute; grantee 0 is PUBLIC.
        List<String> open = new ArrayList<>();
        for (Row function : pool.query("""
                SELECT p.oid::regprocedure::text AS function FROM pg_proc p
                 WHERE p.pronamespace = 'public'::regnamespace
                   AND (p.proacl IS NULL OR EXISTS (SELECT 1 FROM aclexplode(p.proacl) a WHERE a.grantee = 0))
                 ORDER BY 1""").execute().await().atMost(TIMEOUT)) {
            open.add(function.getString("function"));
        }
        assertTrue(open.isEmpty(), "executable by PUBLIC: " + open);
    }

    @Test
    void shouldLetTheRuntimeRoleExecuteExactlyTheFunctionsItCalls() {
        // Functions run with the caller's privileges: one it may not execute fails the query that
        // calls it (42501), however rarely that path runs.
        Set<String> executable = new TreeSet<>();
        for (Row function : pool.query("""
                SELECT DISTINCT p.proname FROM pg_proc p
                 WHERE p.pronamespace = 'public'::regnamespace AND has_function_privilege(p.oid, 'EXECUTE')""")
                .execute().await().atMost(TIMEOUT)) {
            executable.add(function.getString("proname"));
        }
        assertEquals(new TreeSet<>(EXECUTABLE), executable);
    }

    private void assertInsufficientPrivilege(String statement) {
        PgException refusal = assertThrows(PgException.class,
                () -> pool.query(statement).execute().await().atMost(TIMEOUT), statement);
        assertEquals(INSUFFICIENT_PRIVILEGE, refusal.getSqlState(), statement + ": " + refusal.getMessage());
    }
}
