-- MIGRATION: a member's opening balance brought from the loyalty system the program replaces, a
-- credit like an earn's (one lot, expiring when the old system said). At most one per member: the
-- write path decides it under the member's lock, as it decides a first purchase.
-- Both checks are only widened, so every row passes them as it passed the old ones; they are added
-- NOT VALID (no scan while this transaction holds the table's exclusive lock) and validated by V30,
-- under a lock that lets writes go on.
ALTER TABLE transfers DROP CONSTRAINT transfers_kind_check;
ALTER TABLE transfers ADD CONSTRAINT transfers_kind_check CHECK (kind IN ('EARN', 'REDEEM', 'HOLD', 'CAPTURE', 'VOID',
    'HOLD_EXPIRED', 'REVERSAL', 'ADJUSTMENT', 'EXPIRY', 'MIGRATION')) NOT VALID;
ALTER TABLE transfers DROP CONSTRAINT transfers_effect_matches_kind;
ALTER TABLE transfers ADD CONSTRAINT transfers_effect_matches_kind CHECK (
    (kind = 'EARN'         AND posted_delta = points  AND held_delta = 0) OR
    (kind = 'REDEEM'       AND posted_delta = -points AND held_delta = 0) OR
    (kind = 'HOLD'         AND posted_delta = 0       AND held_delta = points) OR
    (kind = 'CAPTURE'      AND posted_delta = -points AND held_delta <= -points) OR
    (kind IN ('VOID', 'HOLD_EXPIRED') AND posted_delta = 0 AND held_delta = -points) OR
    (kind = 'REVERSAL'     AND held_delta = 0 AND abs(posted_delta) <= points) OR
    (kind = 'ADJUSTMENT'   AND held_delta = 0 AND abs(posted_delta) = points) OR
    (kind = 'EXPIRY'       AND posted_delta = -points AND held_delta = 0) OR
    (kind = 'MIGRATION'    AND posted_delta = points  AND held_delta = 0)
) NOT VALID;

-- Opening balances come in a file, like members: an import of kind BALANCES.
ALTER TABLE import_jobs DROP CONSTRAINT import_jobs_kind_check;
ALTER TABLE import_jobs ADD CONSTRAINT import_jobs_kind_check CHECK (kind IN ('MEMBERS', 'BALANCES'));
