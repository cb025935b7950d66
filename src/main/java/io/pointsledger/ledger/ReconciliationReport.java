package io.pointsledger.ledger;

import java.util.List;
import java.util.UUID;

/**
 * Every account compared with the sum of its transfers' effects, its open holds and its lots. {@code mismatchCount} is exact;
 * {@code mismatches} lists at most the configured number of them.
 */
public record ReconciliationReport(long membersChecked, long mismatchCount, List<Mismatch> mismatches) {

    public record Mismatch(UUID memberId, long accountPosted, long transfersPosted, long accountHeld, long transfersHeld,
            long openHolds, long lotRemainders) {
    }
}
