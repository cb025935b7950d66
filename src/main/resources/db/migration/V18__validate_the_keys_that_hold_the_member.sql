-- The foreign keys V17 added NOT VALID, checked against the rows from before it. VALIDATE takes a
-- lock that lets writes go on, in a transaction of its own so that V17's locks are gone by then.
ALTER TABLE transfers VALIDATE CONSTRAINT transfers_related_transfer_fkey;
ALTER TABLE holds VALIDATE CONSTRAINT holds_hold_transfer_fkey;
ALTER TABLE holds VALIDATE CONSTRAINT holds_resolved_by_transfer_fkey;
