package io.pointsledger.members;

import io.pointsledger.platform.ApiLimits;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Past;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.LocalDate;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A new member. {@code externalId} is the retailer's own customer number, unique when given. */
@Schema(description = "A new member. externalId is the retailer's own customer number, unique when given; "
        + "birthDate must be in the past; region, language (BCP 47: ko, en, en-GB) and gender are optional.", example = """
        {"externalId": "till-000123", "name": "Kim Minji", "email": "minji@example.com", "phone": "+821012345678",
         "birthDate": "1990-04-01", "region": "Seoul", "language": "ko", "channel": "OFFLINE"}""")
public record EnrollMemberRequest(
        @Size(min = 1, max = ApiLimits.EXTERNAL_ID_LENGTH_MAX) String externalId,
        @NotBlank @Size(max = ApiLimits.NAME_LENGTH_MAX) String name,
        @Email @Size(max = ApiLimits.EMAIL_LENGTH_MAX) @Schema(format = "email") String email,
        @Pattern(regexp = ApiLimits.E164_PATTERN, message = "must be an E.164 number such as +821012345678") String phone,
        @Past LocalDate birthDate,
        @Size(min = 1, max = ApiLimits.REGION_LENGTH_MAX) String region,
        @Pattern(regexp = ApiLimits.LANGUAGE_PATTERN, message = "must be a BCP 47 language such as ko, en or en-GB") String language,
        Gender gender,
        @NotNull EnrollmentChannel channel) {
}
