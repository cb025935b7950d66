-- The service no longer connects as the role that owns the schema. Migrations run as the owner;
-- the service runs as ${runtime_role}, which owns nothing and holds only the privileges below, so
-- a bug or an injected statement in the service cannot disable or drop the append-only triggers,
-- alter a table, truncate one, or edit the ledger: those need the owner, which the service never
-- logs in as. The role itself is created outside migrations (by whoever provisions the database),
-- because creating roles is not a privilege the owner should hold.
--
-- Every table in the schema is listed here, and DatabaseRolesTest fails for a table that is not:
-- a new table gets its grants in the migration that creates it.

-- Functions are executable by PUBLIC unless revoked; only the runtime role calls ours, and only
-- the ones granted below. The default covers functions that later migrations create.
REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA public FROM PUBLIC;
ALTER DEFAULT PRIVILEGES REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;
-- PostgreSQL 15 and later already refuse CREATE in schema public to PUBLIC; older ones do not.
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO "${runtime_role}";

-- Append-only: read and append, nothing else. The triggers refuse UPDATE, DELETE and TRUNCATE
-- even to the owner; the runtime role is refused them before the triggers are reached.
GRANT SELECT, INSERT ON transfers, audit_log, lot_movements TO "${runtime_role}";

-- Rows the service only ever adds; each is a marker that an event was applied once.
GRANT SELECT, INSERT ON tier_reversals_applied, recommendation_purchases TO "${runtime_role}";

-- Members: enrolment, and erasure, which clears personal data in place (the ledger keeps the row).
GRANT SELECT, INSERT, UPDATE ON members TO "${runtime_role}";
-- Derived state the write functions and the consumers keep current.
GRANT SELECT, INSERT, UPDATE ON member_accounts, holds, point_lots TO "${runtime_role}";
GRANT SELECT, INSERT, UPDATE ON tier_purchases, tier_status TO "${runtime_role}";
GRANT SELECT, INSERT, UPDATE ON item_pairs, item_popularity, recommendation_erasures TO "${runtime_role}";
-- A member's purchase history is deleted when recommendations erase it.
GRANT SELECT, INSERT, UPDATE, DELETE ON member_items TO "${runtime_role}";

-- Expired idempotency keys are purged in bounded batches.
GRANT SELECT, INSERT, DELETE ON idempotency_keys TO "${runtime_role}";
-- The relay deletes what the broker acknowledged and counts what it refused.
GRANT SELECT, INSERT, UPDATE, DELETE ON outbox TO "${runtime_role}";
-- Its one lease row is inserted by V9; the relay only takes and releases it.
GRANT SELECT, UPDATE ON outbox_relay_lease TO "${runtime_role}";
-- A dead letter delivered again counts one more attempt (INSERT … ON CONFLICT DO UPDATE).
GRANT SELECT, INSERT, UPDATE ON dead_letters TO "${runtime_role}";

-- Partners are created, never changed. Key issue locks the partner row (SELECT … FOR UPDATE),
-- which PostgreSQL allows only with UPDATE on some column: created_at, whose change moves no
-- points and grants no access, is that column.
GRANT SELECT, INSERT ON partners TO "${runtime_role}";
GRANT UPDATE (created_at) ON partners TO "${runtime_role}";
-- Revoking a key sets revoked_at; a key's hash and owner never change.
GRANT SELECT, INSERT ON partner_keys TO "${runtime_role}";
GRANT UPDATE (revoked_at) ON partner_keys TO "${runtime_role}";

-- The write functions run with the caller's privileges (no SECURITY DEFINER), so the grants above
-- bound them too. The entry points are ledger_post, ledger_post_batch, ledger_expire_holds and
-- ledger_expire_points; the others are the steps they call (ledger_post_items is V7's batch, which
-- V8's falls back to). Trigger functions are not granted.
DO $$
DECLARE
    v_function regprocedure;
BEGIN
    FOR v_function IN
        SELECT p.oid::regprocedure FROM pg_proc p
         WHERE p.pronamespace = 'public'::regnamespace
           AND p.proname IN ('ledger_post', 'ledger_post_batch', 'ledger_expire_holds', 'ledger_expire_points',
                             'ledger_post_items', 'ledger_expiring', 'ledger_consume_lots', 'ledger_credit_lots', 'ledger_publish',
                             'ledger_batch_receipt', 'ledger_batch_decide', 'ledger_batch_apply',
                             'ledger_batch_expiring', 'ledger_batch_answers')
    LOOP
        EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO %I', v_function, '${runtime_role}');
    END LOOP;
END;
$$;
