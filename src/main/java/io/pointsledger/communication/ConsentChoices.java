package io.pointsledger.communication;

import jakarta.validation.constraints.NotNull;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Whether the member consents to each channel: all three are stated, so that nothing is implied. */
@Schema(description = "Consent per channel; each is stated.", example = """
        {"email": true, "sms": false, "push": true}""")
public record ConsentChoices(@NotNull Boolean email, @NotNull Boolean sms, @NotNull Boolean push) {

    boolean grants(ContactChannel channel) {
        return switch (channel) {
            case EMAIL -> email;
            case SMS -> sms;
            case PUSH -> push;
        };
    }
}
