package io.pointsledger.segments;

import java.time.LocalDate;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A segment with how many members its rule admits now. */
@Schema(example = """
        {"segment": {"segmentId": "0190f0a4-7b1c-7d3e-9a2b-5c6d7e8f9a0b", "name": "Loyal and recent", "description": null,
         "rule": "R>=4 AND F>=4", "version": 1, "createdAt": "2026-11-30T09:00:00Z", "updatedAt": "2026-11-30T09:00:00Z"},
         "memberCount": 18234, "attributesAsOf": "2026-11-30"}""")
public record SegmentDetails(Segment segment, long memberCount,
        @Schema(nullable = true, description = "The day of the newest finished run, whose cutoffs score R, F and M; "
                + "null before the first") LocalDate attributesAsOf) {
}
