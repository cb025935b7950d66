package io.pointsledger.holds;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * A hold (two-phase transfer): PENDING until captured (fully or partly), voided, or expired.
 * {@code transactionId}, {@code available}, {@code posted} and {@code held} are present in answers
 * to writes: the transfer just made and the account after it.
 */
@RegisterForReflection(serialization = true)
public record HoldView(UUID holdId, UUID memberId, HoldStatus status, long points, long capturedPoints,
        OffsetDateTime expiresAt, String orderId, UUID transactionId, Long available, Long posted, Long held) {
}
