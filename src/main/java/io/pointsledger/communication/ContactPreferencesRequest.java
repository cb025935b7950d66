package io.pointsledger.communication;

import io.pointsledger.platform.ProblemException;
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

    /**
     * VALIDATION_FAILED for what each field allows but the whole does not: a source only links may
     * claim, quiet hours of no length, a preferred channel without consent.
     */
    public void refuseContradictions() {
        if (source == ConsentSource.UNSUBSCRIBE_LINK) {
            throw ProblemException.invalid("source", "UNSUBSCRIBE_LINK is recorded only by an unsubscribe link");
        }
        if (quietHours != null && quietHours.from().equals(quietHours.until())) {
            throw ProblemException.invalid("quietHours", "from and until must differ");
        }
        if (preferredChannel != null && !consents.grants(preferredChannel)) {
            throw ProblemException.invalid("preferredChannel", "must be a channel the member consents to, or null");
        }
    }
}
