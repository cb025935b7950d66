package io.pointsledger.ledger;

import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Every account compared with the sum of its transfers' effects, its open holds and its lots. {@code mismatchCount} is exact;
 * {@code mismatches} lists at most the configured number of them.
 */
@Schema(description = "Every account compared with the sum of its transfers' effects, its open holds and its lots. "
        + "mismatchCount is exact; mismatches lists at most the configured number of them.", example = """
        {"membersChecked": 1200, "mismatchCount": 0, "mismatches": []}""")
public record ReconciliationReport(long membersChecked, long mismatchCount, List<Mismatch> mismatches) {

    public record Mismatch(UUID memberId, long accountPosted, long transfersPosted, long accountHeld, long transfersHeld,
            long openHolds, long lotRemainders) {
    }
}
