-- The rules of a write now live in one place, in Java (WriteDecider): a batch locks its accounts,
-- reads what it needs, decides every write in memory and writes the decisions with one statement
-- of typed arrays (LedgerWriteRepository). The two PL/pgSQL copies of those rules go: the
-- write-by-write ledger_post with its lot crediting, and the set-based batch of V8 with the loop
-- of V7/V14 it fell back to.
DROP FUNCTION ledger_post_batch(jsonb, bigint, timestamptz, jsonb);
DROP FUNCTION ledger_post_items(jsonb, bigint, timestamptz, jsonb);
DROP FUNCTION ledger_batch_answers(ledger_batch_write[]);
DROP FUNCTION ledger_batch_expiring(ledger_batch_write[], timestamptz, integer, text);
DROP FUNCTION ledger_batch_apply(ledger_batch_write[], bigint, timestamptz);
DROP FUNCTION ledger_batch_decide(ledger_batch_write[], jsonb);
DROP FUNCTION ledger_batch_receipt(text, uuid, uuid, bigint, bigint, jsonb, bigint, bigint);
DROP TYPE ledger_batch_write;
DROP FUNCTION ledger_post(text, boolean, text, bytea, bigint, text, uuid, uuid, timestamptz, jsonb, jsonb);
DROP FUNCTION ledger_credit_lots(uuid, uuid, bigint, bigint, uuid, timestamptz);
-- The expiry jobs write through the same path now: a job's run is a batch of HOLD_EXPIRED or
-- EXPIRY writes without idempotency keys. Only ledger_expiring, a read, stays.
DROP FUNCTION ledger_expire_holds(timestamptz, integer, integer, text);
DROP FUNCTION ledger_expire_points(timestamptz, integer, integer, text);
DROP FUNCTION ledger_consume_lots(uuid, uuid, bigint, uuid, timestamptz);
DROP FUNCTION ledger_publish(uuid, member_accounts);
