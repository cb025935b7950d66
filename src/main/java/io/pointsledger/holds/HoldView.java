package io.pointsledger.holds;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A hold (two-phase transfer): PENDING until captured (fully or partly), voided, or expired.
 * {@code transactionId}, {@code available}, {@code posted} and {@code held} are present in answers
 * to writes: the transfer just made and the account after it.
 * Read from the receipt the database functions return (or the stored one a retry replays), which a
 * newer version of those functions may extend during a rolling deploy: unknown fields are skipped.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@RegisterForReflection(serialization = true)
@Schema(description = "A hold (two-phase transfer): PENDING until captured (fully or partly), voided, or expired. "
        + "transactionId, available, posted and held are set in answers to writes (the transfer just made and the "
        + "account after it) and null when a hold is looked up.", example = """
        {"holdId": "6d2a9f4b-3c1e-4b7a-8f5d-0e9c8b7a6f51", "memberId": "3f6c1a2e-8d4b-4f7a-9c1e-2b5d6a7e8f90",
         "status": "PENDING", "points": 300, "capturedPoints": 0, "expiresAt": "2026-11-29T09:35:00Z",
         "orderId": "cart-8842", "transactionId": "6d2a9f4b-3c1e-4b7a-8f5d-0e9c8b7a6f51", "available": 950,
         "posted": 1250, "held": 300}""")
public record HoldView(UUID holdId, UUID memberId, HoldStatus status, long points, long capturedPoints,
        OffsetDateTime expiresAt, String orderId, @Schema(nullable = true) UUID transactionId,
        @Schema(nullable = true) Long available, @Schema(nullable = true) Long posted, @Schema(nullable = true) Long held) {
}
