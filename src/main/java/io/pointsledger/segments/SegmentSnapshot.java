package io.pointsledger.segments;

import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * The members a segment admitted at {@code takenAt}, by the rule of its version
 * {@code segmentVersion}: counted once for the reports narrowed to the segment, and read by many.
 */
public record SegmentSnapshot(UUID snapshotId, UUID segmentId, long segmentVersion, OffsetDateTime takenAt, long members) {

    /** A query of the ids of a snapshot's members, the snapshot named by parameter {@code $parameter}. */
    public static String membersQuery(int parameter) {
        return "SELECT member_id FROM segment_snapshot_members WHERE snapshot_id = $" + parameter;
    }
}
