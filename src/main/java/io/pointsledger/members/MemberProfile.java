package io.pointsledger.members;

import io.pointsledger.partners.Caller;
import io.pointsledger.partners.Scope;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.UUID;

/** Who a member is, decrypted, without their points. */
record MemberProfile(UUID memberId, String externalId, String name, String email, String phone, LocalDate birthDate,
        String region, String language, Gender gender, EnrollmentChannel channel, OffsetDateTime enrolledAt,
        OffsetDateTime erasedAt, long version) {

    /**
     * The profile as {@code caller} may see it: who the member is (external id, name, email, phone,
     * birth date, region, language, gender) only with the pii scope. Points are shared across the coalition; identities are not.
     */
    MemberProfile visibleTo(Caller caller) {
        return caller.has(Scope.PII) ? this
                : new MemberProfile(memberId, null, null, null, null, null, null, null, null, channel, enrolledAt, erasedAt,
                        version);
    }
}
