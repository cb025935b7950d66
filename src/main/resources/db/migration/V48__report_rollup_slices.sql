-- Reports: today rolled up in slices. A day is rolled up whole once it has ended (V46); until
-- then the rollups hold its slices: every few seconds, the transfers recorded since the last slice
-- (up to a short delay ago) are added to the day's rows. A report then reads from the transfers
-- only what came after the last slice, not the whole of today, whatever the day's volume.
--
-- through: the day's transfers recorded before it are in the day's rows. A day has a row here
-- while it is rolled up in slices; its rollup as a whole replaces its rows and deletes this one.
CREATE TABLE report_rollup_slices (
    day          date        PRIMARY KEY,
    through      timestamptz NOT NULL,
    rolled_up_at timestamptz NOT NULL DEFAULT now()
);

GRANT SELECT, INSERT, UPDATE, DELETE ON report_rollup_slices TO "${runtime_role}";
-- A slice adds to the day's rows (INSERT ... ON CONFLICT DO UPDATE).
GRANT UPDATE ON report_transfer_days, report_bonus_days, report_lot_days, report_item_days, report_hour_days, report_member_days
    TO "${runtime_role}";
