-- The members a segment admitted when they were last counted for the reports narrowed to it. A rule
-- over a million members takes about a second to evaluate, and its members a second more to join
-- from a table of the report's own; counted once and kept here, they are joined by many answers,
-- in parallel scans, which a temporary table does not allow (SegmentSnapshots).
--
-- Derived data, counted again from the rule whenever needed: both tables are UNLOGGED, so that
-- writing a million members costs no WAL. After a crash PostgreSQL empties them, snapshot and
-- members together, and the next report counts again. They are not replicated to standbys, where
-- no report reads.
--
-- A snapshot keeps the smaller side: the members admitted, or (complement) those not admitted,
-- erased ones included, with the admitted ones enrolled after enrolled_before: a report then
-- leaves out the members kept as not admitted and those enrolled after enrolled_before but not
-- kept as admitted (members enrolled after the count, which it never saw). A segment of 900 000
-- of a million members is then 100 000 rows, and each report's join hashes those.
CREATE UNLOGGED TABLE segment_member_snapshots (
    snapshot_id     uuid        PRIMARY KEY,
    segment_id      uuid        NOT NULL REFERENCES segments (segment_id),
    segment_version bigint      NOT NULL,
    taken_at        timestamptz NOT NULL,
    members         bigint      NOT NULL CHECK (members >= 0),
    complement      boolean     NOT NULL,
    enrolled_before timestamptz NOT NULL
);
CREATE INDEX segment_member_snapshots_newest ON segment_member_snapshots (segment_id, segment_version, taken_at DESC);

-- No key on (snapshot_id, member_id): the members come unique from the members table, and
-- reports hash them rather than look them up one by one. The index on snapshot_id alone finds a
-- snapshot's rows (written together, so on few pages) and, its keys deduplicated, stays small.
-- No foreign key to members: a member erased later stays in the snapshot as they stood.
CREATE UNLOGGED TABLE segment_snapshot_members (
    snapshot_id uuid    NOT NULL REFERENCES segment_member_snapshots (snapshot_id) ON DELETE CASCADE,
    member_id   uuid    NOT NULL,
    admitted    boolean NOT NULL
);
CREATE INDEX segment_snapshot_members_snapshot ON segment_snapshot_members (snapshot_id);

-- A report plans its joins for the snapshot it reads, by the statistics of these rows: the
-- snapshot's count updates them once it commits. ANALYZE needs the table's owner (or, from
-- PostgreSQL 17, the MAINTAIN privilege): this function runs it as the owner, and nothing else.
CREATE FUNCTION segment_snapshot_members_analyze() RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
BEGIN
    ANALYZE segment_snapshot_members;
END
$$;
REVOKE ALL ON FUNCTION segment_snapshot_members_analyze() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION segment_snapshot_members_analyze() TO "${runtime_role}";

GRANT SELECT, INSERT, DELETE ON segment_member_snapshots TO "${runtime_role}";
GRANT SELECT, INSERT, DELETE ON segment_snapshot_members TO "${runtime_role}";
