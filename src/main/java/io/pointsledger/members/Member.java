package io.pointsledger.members;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.pointsledger.tiers.Tier;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * A member with their current tier and points. After erasure, name and personal data are null
 * and {@code erasedAt} says when; the points remain.
 */
@RegisterForReflection(serialization = true)
public record Member(UUID memberId, String externalId, String name, String email, String phone, LocalDate birthDate,
        EnrollmentChannel channel, OffsetDateTime enrolledAt, OffsetDateTime erasedAt, Tier tier, long available,
        long posted, long held) {
}
