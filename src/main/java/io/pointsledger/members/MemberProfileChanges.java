package io.pointsledger.members;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.pointsledger.platform.ApiLimits;
import io.pointsledger.platform.ProblemException;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Past;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.LocalDate;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A JSON merge patch (RFC 7396) of a member's profile: a field left out stays as it is, a field set
 * to null is removed (all but name, which a member always has), any other value replaces it. A
 * record cannot tell a field left out from one set to null, so each setter notes the field named.
 */
@Schema(name = "MemberProfileChanges", description = "A JSON merge patch of the profile: a field left out stays as it "
        + "is; null removes it (not name); a value replaces it, under the rules of enrollment.", example = """
        {"email": "minji.kim@example.com", "region": "Busan", "phone": null}""")
public final class MemberProfileChanges {

    @JsonIgnore
    @Schema(hidden = true)
    private final Set<String> named = new LinkedHashSet<>();

    @Size(min = 1, max = ApiLimits.NAME_LENGTH_MAX)
    private String name;

    @Email
    @Size(max = ApiLimits.EMAIL_LENGTH_MAX)
    @Schema(format = "email", nullable = true)
    private String email;

    @Pattern(regexp = ApiLimits.E164_PATTERN, message = "must be an E.164 number such as +821012345678")
    @Schema(nullable = true)
    private String phone;

    @Past
    @Schema(nullable = true)
    private LocalDate birthDate;

    @Size(min = 1, max = ApiLimits.REGION_LENGTH_MAX)
    @Schema(nullable = true)
    private String region;

    @Pattern(regexp = ApiLimits.LANGUAGE_PATTERN, message = "must be a BCP 47 language such as ko, en or en-GB")
    @Schema(nullable = true)
    private String language;

    @Schema(nullable = true)
    private Gender gender;

    /** The fields the patch names, in the order it names them. */
    Set<String> named() {
        return Collections.unmodifiableSet(named);
    }

    boolean names(String field) {
        return named.contains(field);
    }

    /** VALIDATION_FAILED when the patch removes the name or blanks it: a member always has one. */
    void refuseRemovedName() {
        if (names(MemberService.NAME) && (name == null || name.isBlank())) {
            throw ProblemException.invalid(MemberService.NAME, "a member always has a name; it may be changed, not removed");
        }
    }

    String name() {
        return name;
    }

    String email() {
        return email;
    }

    String phone() {
        return phone;
    }

    LocalDate birthDate() {
        return birthDate;
    }

    String region() {
        return region;
    }

    String language() {
        return language;
    }

    Gender gender() {
        return gender;
    }

    @JsonProperty(MemberService.NAME)
    void setName(String name) {
        named.add(MemberService.NAME);
        this.name = name;
    }

    @JsonProperty(MemberService.EMAIL)
    void setEmail(String email) {
        named.add(MemberService.EMAIL);
        this.email = email;
    }

    @JsonProperty(MemberService.PHONE)
    void setPhone(String phone) {
        named.add(MemberService.PHONE);
        this.phone = phone;
    }

    @JsonProperty(MemberService.BIRTH_DATE)
    void setBirthDate(LocalDate birthDate) {
        named.add(MemberService.BIRTH_DATE);
        this.birthDate = birthDate;
    }

    @JsonProperty(MemberService.REGION)
    void setRegion(String region) {
        named.add(MemberService.REGION);
        this.region = region;
    }

    @JsonProperty(MemberService.LANGUAGE)
    void setLanguage(String language) {
        named.add(MemberService.LANGUAGE);
        this.language = language;
    }

    @JsonProperty(MemberService.GENDER)
    void setGender(Gender gender) {
        named.add(MemberService.GENDER);
        this.gender = gender;
    }
}
