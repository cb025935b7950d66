package io.pointsledger.communication;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** How a member may be contacted: a consent for every channel, in EMAIL, SMS, PUSH order. */
@RegisterForReflection(serialization = true)
@Schema(description = "How the member may be contacted: consent for each channel (EMAIL, SMS, PUSH), the preferred "
        + "channel, quiet hours. A member who never said anything has no consent at all: nothing is sent.",
        example = """
        {"memberId": "3f6c1a2e-8d4b-4f7a-9c1e-2b5d6a7e8f90",
         "consents": [{"channel": "EMAIL", "granted": true, "changedAt": "2026-11-29T09:15:00Z", "source": "MEMBER_APP"},
                      {"channel": "SMS", "granted": false, "changedAt": null, "source": null},
                      {"channel": "PUSH", "granted": true, "changedAt": "2026-11-29T09:15:00Z", "source": "MEMBER_APP"}],
         "preferredChannel": "PUSH", "quietHours": {"from": "22:00:00", "until": "08:00:00"},
         "updatedAt": "2026-11-29T09:15:00Z", "version": 2}""")
public record ContactPreferences(UUID memberId, List<ChannelConsent> consents,
        @Schema(nullable = true) ContactChannel preferredChannel, @Schema(nullable = true) QuietHours quietHours,
        @Schema(nullable = true) OffsetDateTime updatedAt,
        @Schema(description = "Counts the changes (0: never stated); the ETag a statement names in If-Match") long version) {

    /** Whether the member consents to {@code channel}. */
    public boolean consentsTo(ContactChannel channel) {
        return consents.stream().anyMatch(consent -> consent.channel() == channel && consent.granted());
    }
}
