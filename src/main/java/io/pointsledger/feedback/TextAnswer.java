package io.pointsledger.feedback;

import java.time.OffsetDateTime;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One free-text answer. */
@Schema(example = """
        {"responseId": "0190f0a4-7b1c-7d3e-9a2b-5c6d7e8f9a0e", "memberId": "0b4f8d52-52c8-4c2e-9d4b-8a4f6e1b2c3d",
         "store": "GANGNAM-01", "submittedAt": "2026-11-30T09:00:00Z", "text": "The tailor was great"}""")
public record TextAnswer(UUID responseId, UUID memberId, @Schema(nullable = true) String store, OffsetDateTime submittedAt, String text) {
}
