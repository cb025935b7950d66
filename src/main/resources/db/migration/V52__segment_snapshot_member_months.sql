-- The buyers of each month among a segment's counted members, summed once per snapshot for the
-- members report. The report reads a year of report_member_months (six million rows at a million
-- members), and joining each row with a snapshot of half a million members took two seconds; the
-- months no purchase can change any more (every day through the end of the second month after them
-- rolled up whole) are summed here, in the background after the count, and the report joins only
-- the last three months. Derived from a snapshot, and deleted with it: UNLOGGED like it.
--
-- Per month, first-purchase day and days to the next purchase (capped one past the longest
-- repurchase window a report measures: none within it), the members of the snapshot who bought.
CREATE UNLOGGED TABLE segment_snapshot_member_months (
    snapshot_id    uuid     NOT NULL REFERENCES segment_member_snapshots (snapshot_id) ON DELETE CASCADE,
    month          date     NOT NULL,
    first_day      date     NOT NULL,
    repurchase_gap smallint NOT NULL CHECK (repurchase_gap >= 1),
    members        bigint   NOT NULL CHECK (members > 0),
    PRIMARY KEY (snapshot_id, month, first_day, repurchase_gap)
);

-- The months [from, before) summed for the snapshot, from rows of the rollups' format version (a
-- report ignores sums of another format: the months may have been rolled up again since), set in
-- the transaction that writes their rows; null until then (a report joins every month, as it
-- would without the sums).
ALTER TABLE segment_member_snapshots ADD COLUMN months_summed_from date;
ALTER TABLE segment_member_snapshots ADD COLUMN months_summed_before date;
ALTER TABLE segment_member_snapshots ADD COLUMN months_summed_version smallint;
ALTER TABLE segment_member_snapshots ADD CONSTRAINT segment_member_snapshots_months_summed
    CHECK ((months_summed_from IS NULL) = (months_summed_before IS NULL) AND (months_summed_from IS NULL) = (months_summed_version IS NULL)
           AND months_summed_from <= months_summed_before);

GRANT SELECT, INSERT ON segment_snapshot_member_months TO "${runtime_role}";
GRANT UPDATE (months_summed_from, months_summed_before, months_summed_version) ON segment_member_snapshots TO "${runtime_role}";

-- A snapshot's members no longer refer to it by a foreign key: the key's check, a trigger per row,
-- took 1.4 of the 3.4 seconds of a count keeping 430 000 members. A trigger per statement deletes
-- the members of the snapshots a statement deletes, whoever deletes them (an instance of an older
-- version during a rolling deploy, an operator); a crash empties both tables.
ALTER TABLE segment_snapshot_members DROP CONSTRAINT segment_snapshot_members_snapshot_id_fkey;

CREATE FUNCTION segment_member_snapshots_delete_members() RETURNS trigger
    LANGUAGE plpgsql SET search_path = public, pg_temp
AS $$
BEGIN
    DELETE FROM segment_snapshot_members WHERE snapshot_id IN (SELECT snapshot_id FROM deleted_snapshots);
    RETURN NULL;
END
$$;
CREATE TRIGGER segment_member_snapshots_delete_members AFTER DELETE ON segment_member_snapshots
    REFERENCING OLD TABLE AS deleted_snapshots FOR EACH STATEMENT EXECUTE FUNCTION segment_member_snapshots_delete_members();

-- Emptied at once (an operator's TRUNCATE ... CASCADE, which empties the sums), every member goes too.
CREATE FUNCTION segment_member_snapshots_truncate_members() RETURNS trigger
    LANGUAGE plpgsql SET search_path = public, pg_temp
AS $$
BEGIN
    DELETE FROM segment_snapshot_members;
    RETURN NULL;
END
$$;
CREATE TRIGGER segment_member_snapshots_truncate_members AFTER TRUNCATE ON segment_member_snapshots
    FOR EACH STATEMENT EXECUTE FUNCTION segment_member_snapshots_truncate_members();
