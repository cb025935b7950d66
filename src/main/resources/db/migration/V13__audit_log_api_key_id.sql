-- Which key acted, not only which partner: a partner holds up to two keys at once (rotation), and
-- after a leak the entries of the leaked key must be told apart from those of its sibling.
-- Nullable: null for the operator's bootstrap key (configured, not a stored key), for entries
-- written before this column existed, and for adjustments, which ledger_post audits itself from
-- the partner id it is given. Adding a nullable column without a default rewrites no row, so the
-- append-only triggers are not involved. No foreign key: the audit log outlives what it names.
ALTER TABLE audit_log ADD COLUMN api_key_id uuid;
