package io.pointsledger.ledger;

import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Every account compared with the sum of its transfers' effects, its open holds and its lots. {@code mismatchCount} is exact;
 * {@code mismatches} lists at most the configured number of them. Every cause's account compared with its entries and
 * the members' DONATION transfers; {@code causeMismatches} lists each that differs.
 */
@Schema(description = "Every account compared with the sum of its transfers' effects, its open holds and its lots. "
        + "mismatchCount is exact; mismatches lists at most the configured number of them. Every cause's account compared "
        + "with its entries and the members' DONATION transfers; causeMismatches lists each that differs.", example = """
        {"membersChecked": 1200, "mismatchCount": 0, "mismatches": [], "causesChecked": 3, "causeMismatches": []}""")
public record ReconciliationReport(long membersChecked, long mismatchCount, List<Mismatch> mismatches, long causesChecked,
        List<CauseMismatch> causeMismatches) {

    /**
     * A cause that does not reconcile: its balance is not donated plus matched, or those are not
     * the sums of its entries, or those are not what the members' DONATION transfers to it record.
     */
    public record CauseMismatch(UUID causeId, long balance, long accountDonated, long accountMatched, long entriesDonated,
            long entriesMatched, long transfersDonated, long transfersMatched) {
    }

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
