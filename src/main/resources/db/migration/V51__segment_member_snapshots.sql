-- The members a segment admitted when they were last counted for a report narrowed to it. A rule
-- over a million members takes about a second to evaluate, and its members a second more to join
-- from a table of the report's own; counted once and kept here, they are joined by many answers,
-- in parallel scans, which a temporary table does not allow (ReportsConfig, SegmentsConfig
-- snapshot-max-age). Derived data: the segment's rule and the members' attributes stay the truth.
CREATE TABLE segment_member_snapshots (
    snapshot_id     uuid        PRIMARY KEY,
    segment_id      uuid        NOT NULL REFERENCES segments (segment_id),
    segment_version bigint      NOT NULL,
    taken_at        timestamptz NOT NULL,
    members         bigint      NOT NULL CHECK (members >= 0)
);
CREATE INDEX segment_member_snapshots_newest ON segment_member_snapshots (segment_id, segment_version, taken_at DESC);

-- No foreign key to members: a member erased later stays in the snapshot, as they stood when it
-- was taken, and no check per row slows writing a million of them.
CREATE TABLE segment_snapshot_members (
    snapshot_id uuid NOT NULL REFERENCES segment_member_snapshots (snapshot_id) ON DELETE CASCADE,
    member_id   uuid NOT NULL,
    PRIMARY KEY (snapshot_id, member_id)
);

GRANT SELECT, INSERT, DELETE ON segment_member_snapshots TO "${runtime_role}";
GRANT SELECT, INSERT, DELETE ON segment_snapshot_members TO "${runtime_role}";
