package io.pointsledger.members;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.UUID;

/** Who a member is, decrypted, without their points. */
record MemberProfile(UUID memberId, String externalId, String name, String email, String phone, LocalDate birthDate,
        EnrollmentChannel channel, OffsetDateTime enrolledAt, OffsetDateTime erasedAt) {
}
