package io.pointsledger.reports;

import io.pointsledger.segments.SegmentSnapshot;
import java.time.LocalDate;
import java.util.UUID;

/**
 * The members a report is narrowed to, as its transaction reads them: the segment's snapshot; for
 * a snapshot that keeps the members left out, those enrolled since that it never saw; and the
 * months [{@code monthsSummedFrom}, {@code monthsSummedBefore}) whose buyers among them are summed
 * (both null until they are, see SegmentMonthSums).
 */
record Narrowing(SegmentSnapshot snapshot, UUID[] unseen, LocalDate monthsSummedFrom, LocalDate monthsSummedBefore) {

    /** SQL true for the rows whose {@code column} names one of the members, its parameters numbered from {@code parameter}. */
    String admits(String column, int parameter) {
        return snapshot.admits(column, parameter);
    }

    /** The values of the parameters of {@link #admits}, in order. */
    Object[] parameters() {
        return snapshot.complement() ? new Object[] {snapshot.snapshotId(), unseen} : new Object[] {snapshot.snapshotId()};
    }

    /**
     * Where the summed months a report from month {@code first} may read end: before
     * {@code settledBefore}, the first month purchases can still change now (the sums were taken
     * earlier, and months may have been rolled up again since); null when the report starts before
     * the sums or none are there.
     */
    LocalDate monthsSummedUntil(LocalDate first, LocalDate settledBefore) {
        if (monthsSummedFrom == null || first.isBefore(monthsSummedFrom)) {
            return null;
        }
        return monthsSummedBefore.isBefore(settledBefore) ? monthsSummedBefore : settledBefore;
    }
}
