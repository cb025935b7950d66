package io.pointsledger.members;

import io.pointsledger.platform.ApiLimits;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Past;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.LocalDate;

/** A new member. {@code externalId} is the retailer's own customer number, unique when given. */
public record EnrollMemberRequest(
        @Size(min = 1, max = ApiLimits.EXTERNAL_ID_LENGTH_MAX) String externalId,
        @NotBlank @Size(max = ApiLimits.NAME_LENGTH_MAX) String name,
        @Email @Size(max = ApiLimits.EMAIL_LENGTH_MAX) String email,
        @Pattern(regexp = ApiLimits.E164_PATTERN, message = "must be an E.164 number such as +821012345678") String phone,
        @Past LocalDate birthDate,
        @NotNull EnrollmentChannel channel) {
}
