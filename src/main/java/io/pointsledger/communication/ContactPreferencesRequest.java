package io.pointsledger.communication;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * How a member wants to be contacted, stated whole: consent per channel, the preferred channel
 * (one consented to, or none), quiet hours (or none), and through what the member said so.
 */
@Schema(description = "How the member wants to be contacted, stated whole. preferredChannel must be a channel "
        + "consented to (or null); quietHours null for none; source: through what the member said so "
        + "(UNSUBSCRIBE_LINK is recorded only by an unsubscribe link).", example = """
        {"consents": {"email": true, "sms": false, "push": true}, "preferredChannel": "PUSH",
         "quietHours": {"from": "22:00:00", "until": "08:00:00"}, "source": "MEMBER_APP"}""")
public record ContactPreferencesRequest(@NotNull @Valid ConsentChoices consents,
        @Schema(nullable = true) ContactChannel preferredChannel,
        @Schema(nullable = true) @Valid QuietHours quietHours,
        @NotNull ConsentSource source) {
}
