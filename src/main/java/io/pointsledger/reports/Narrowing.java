package io.pointsledger.reports;

import io.pointsledger.segments.SegmentSnapshot;
import java.util.UUID;

/**
 * The members a report is narrowed to, as its transaction reads them: the segment's snapshot and,
 * for a snapshot that keeps the members left out, those enrolled since that it never saw.
 */
record Narrowing(SegmentSnapshot snapshot, UUID[] unseen) {

    /** SQL true for the rows whose {@code column} names one of the members, its parameters numbered from {@code parameter}. */
    String admits(String column, int parameter) {
        return snapshot.admits(column, parameter);
    }

    /** The values of the parameters of {@link #admits}, in order. */
    Object[] parameters() {
        return snapshot.complement() ? new Object[] {snapshot.snapshotId(), unseen} : new Object[] {snapshot.snapshotId()};
    }
}
