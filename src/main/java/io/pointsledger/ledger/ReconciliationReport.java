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

    /**
     * One account that does not reconcile. {@code lotDiscrepancies}: the member's lots whose
     * remainder is not their credited points plus their movements or whose transfer is missing or
     * another member's, and movements whose lot or transfer is missing or another member's (0
     * when the lots are sound).
     */
    public record Mismatch(UUID memberId, long accountPosted, long transfersPosted, long accountHeld, long transfersHeld,
            long openHolds, long lotRemainders,
            @Schema(description = "The member's lots whose remainder is not their credited points plus their movements, "
                    + "or whose transfer is missing or another member's, and movements whose lot or transfer is missing "
                    + "or another member's; 0 when the lots are sound")
            long lotDiscrepancies) {
    }
}
