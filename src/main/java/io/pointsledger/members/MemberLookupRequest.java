package io.pointsledger.members;

import io.pointsledger.platform.ApiLimits;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * An exact look-up by email or phone. The value travels in a body, never in a URL, so that it
 * stays out of access logs, proxies and browser histories.
 */
@Schema(description = "An exact look-up: exactly one of email (case-insensitive) or phone (E.164).", example = """
        {"phone": "+821012345678"}""")
public record MemberLookupRequest(
        @Email @Size(max = ApiLimits.EMAIL_LENGTH_MAX) @Schema(format = "email") String email,
        @Pattern(regexp = ApiLimits.E164_PATTERN, message = "must be an E.164 number such as +821012345678") String phone) {
}
