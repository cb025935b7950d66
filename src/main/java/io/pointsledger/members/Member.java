package io.pointsledger.members;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.pointsledger.tiers.Tier;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A member with their current tier and points. Personal data (and the external id) are null for a
 * caller without the pii scope, and for everyone after erasure, when {@code erasedAt} says when;
 * the points remain.
 */
@RegisterForReflection(serialization = true)
@Schema(description = "A member with their tier and points. Personal data the member did not give is null; so are "
        + "externalId, name, email, phone, birthDate, region, language and gender for a caller without the pii scope, "
        + "and after erasure, when erasedAt says when. version counts the profile's changes; it is also the ETag a "
        + "profile change names in If-Match.", example = """
        {"memberId": "3f6c1a2e-8d4b-4f7a-9c1e-2b5d6a7e8f90", "externalId": "till-000123", "name": "Kim Minji",
         "email": "minji@example.com", "phone": "+821012345678", "birthDate": "1990-04-01", "region": "Seoul",
         "language": "ko", "gender": null, "channel": "OFFLINE", "enrolledAt": "2026-11-29T09:15:00Z", "erasedAt": null,
         "version": 1, "tier": "BASIC", "available": 1250, "posted": 1550, "held": 300}""")
public record Member(UUID memberId, @Schema(nullable = true) String externalId, @Schema(nullable = true) String name,
        @Schema(nullable = true) String email, @Schema(nullable = true) String phone,
        @Schema(nullable = true) LocalDate birthDate, @Schema(nullable = true) String region,
        @Schema(nullable = true) String language, @Schema(nullable = true) Gender gender, EnrollmentChannel channel,
        OffsetDateTime enrolledAt, @Schema(nullable = true) OffsetDateTime erasedAt, long version, Tier tier,
        long available, long posted, long held) {
}
