package io.pointsledger.holds;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * A hold (two-phase transfer): PENDING until captured (fully or partly), voided, or expired.
 * {@code transactionId}, {@code available}, {@code posted} and {@code held} are present in answers
 * to writes: the transfer just made and the account after it.
 * Read from the receipt the database functions return (or the stored one a retry replays), which a
 * newer version of those functions may extend during a rolling deploy: unknown fields are skipped.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@RegisterForReflection(serialization = true)
public record HoldView(UUID holdId, UUID memberId, HoldStatus status, long points, long capturedPoints,
        OffsetDateTime expiresAt, String orderId, UUID transactionId, Long available, Long posted, Long held) {
}
