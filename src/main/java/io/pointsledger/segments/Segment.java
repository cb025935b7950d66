package io.pointsledger.segments;

import java.time.OffsetDateTime;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A saved segment: members its rule admits, evaluated whenever it is used. */
@Schema(example = """
        {"segmentId": "0190f0a4-7b1c-7d3e-9a2b-5c6d7e8f9a0b", "name": "Loyal and recent", "description": "Top two fifths on R and F",
         "rule": "R>=4 AND F>=4", "version": 1, "createdAt": "2026-11-30T09:00:00Z", "updatedAt": "2026-11-30T09:00:00Z"}""")
public record Segment(UUID segmentId, String name, @Schema(nullable = true) String description, String rule, long version,
        OffsetDateTime createdAt, OffsetDateTime updatedAt) {
}
