-- V32's check, validated apart from its creation: VALIDATE CONSTRAINT scans the table under a
-- SHARE UPDATE EXCLUSIVE lock, which lets the tiers consumer write meanwhile.
ALTER TABLE tier_purchases VALIDATE CONSTRAINT tier_purchases_points_check;
