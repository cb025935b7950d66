-- V29's checks, validated apart from their creation: VALIDATE CONSTRAINT scans the table under a
-- SHARE UPDATE EXCLUSIVE lock, which lets the tills read and write meanwhile.
ALTER TABLE transfers VALIDATE CONSTRAINT transfers_kind_check;
ALTER TABLE transfers VALIDATE CONSTRAINT transfers_effect_matches_kind;
