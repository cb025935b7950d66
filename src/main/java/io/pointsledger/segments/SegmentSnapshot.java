package io.pointsledger.segments;

import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * The members a segment admitted at {@code takenAt}, by the rule of its version
 * {@code segmentVersion}: counted once for the reports narrowed to the segment, and read by many.
 * It keeps the smaller side (see V51): the members admitted, or ({@code complement}) the members
 * not admitted, with those enrolled after {@code enrolledBefore} that were admitted.
 */
public record SegmentSnapshot(UUID snapshotId, UUID segmentId, long segmentVersion, OffsetDateTime takenAt, long members,
        boolean complement, OffsetDateTime enrolledBefore) {

    /**
     * SQL true for the rows whose {@code column} names a member of the snapshot: the snapshot is
     * parameter {@code $parameter}; for a complement, the members enrolled since that it never saw
     * (see {@link #unseenMembersQuery}), as an array, the one after.
     */
    public String admits(String column, int parameter) {
        if (!complement) {
            return column + " IN (SELECT member_id FROM segment_snapshot_members WHERE snapshot_id = $" + parameter + ")";
        }
        // The ids left out renamed, so that an unqualified column names the caller's row: a hash
        // anti-join, which PostgreSQL runs in parallel (NOT IN would not be). A row of no member
        // (a coupon not yet given) is no member of the segment, as with IN above.
        return column + " IS NOT NULL AND NOT EXISTS (SELECT 1 FROM (SELECT member_id FROM segment_snapshot_members WHERE snapshot_id = $" + parameter
                + " AND NOT admitted) AS left_out (id) WHERE left_out.id = " + column + ") AND " + column + " <> ALL ($" + (parameter + 1) + ")";
    }

    /**
     * For a complement: the members enrolled after enrolledBefore it does not keep (enrolled
     * since the count, which never saw them; those it kept as left out are left out already),
     * {@code $3} at most; the snapshot is {@code $1}, its enrolledBefore {@code $2}.
     */
    public static String unseenMembersQuery() {
        return "SELECT member_id FROM members WHERE enrolled_at > $2"
                + " AND member_id NOT IN (SELECT member_id FROM segment_snapshot_members WHERE snapshot_id = $1) LIMIT $3";
    }
}
