package io.pointsledger.segments;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A recomputation of every member's segment attributes. Once finished, its cutoffs (the 20th,
 * 40th, 60th and 80th percentiles over the active base) score R, F and M: a value scores one more
 * than the cutoffs it is above, and for recency fewer days are above more days.
 */
@Schema(example = """
        {"runId": "0190f0a4-7b1c-7d3e-9a2b-5c6d7e8f9a0b", "asOf": "2026-11-30", "windowDays": 365, "requested": "REQUEST",
         "status": "FINISHED", "startedAt": "2026-11-30T09:00:00Z", "finishedAt": "2026-11-30T09:00:41Z", "membersMeasured": 1000000,
         "activeMembers": 612000, "recencyCutoffDays": [210, 120, 61, 22], "frequencyCutoffs": [1, 2, 3, 6],
         "monetaryCutoffs": [4500, 12000, 26000, 61000]}""")
public record AttributeRun(UUID runId, LocalDate asOf, int windowDays, Requested requested, Status status, OffsetDateTime startedAt,
        @Schema(nullable = true) OffsetDateTime finishedAt, long membersMeasured,
        @Schema(nullable = true, description = "Members with a purchase in the window") Long activeMembers,
        @Schema(nullable = true, description = "Days since the last purchase: a member scores one more for each cutoff "
                + "their days are below") List<Long> recencyCutoffDays,
        @Schema(nullable = true, description = "A member scores one more for each cutoff their value is above") List<Long> frequencyCutoffs,
        @Schema(nullable = true, description = "In minor units") List<Long> monetaryCutoffs) {

    public enum Requested { SCHEDULE, REQUEST }

    /** FAILED: taken over too often without finishing, closed without cutoffs. */
    public enum Status { RUNNING, FINISHED, FAILED }
}
