package io.pointsledger.platform;

import io.quarkus.runtime.annotations.RegisterForReflection;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * An RFC 9457 problem document with the stable {@code code} extension and, for
 * {@link ErrorCode#VALIDATION_FAILED}, the field violations.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@RegisterForReflection(serialization = true)
@Schema(name = "Problem", description = "An RFC 9457 problem. detail and violations are left out when empty; "
        + "code is the stable value to switch on.", requiredProperties = {"type", "title", "status", "code"},
        example = """
                {"type": "https://points-ledger.io/problems/validation-failed", "title": "The request has invalid fields",
                 "status": 400, "detail": "phone: must be an E.164 number such as +821012345678", "code": "VALIDATION_FAILED",
                 "violations": [{"field": "phone", "message": "must be an E.164 number such as +821012345678"}]}""")
public record Problem(String type, String title, int status, String detail, String code, List<FieldViolation> violations) {

    public static final String MEDIA_TYPE = "application/problem+json";

    public static Problem of(ErrorCode code, String detail) {
        return new Problem(code.type(), code.title(), code.status(), detail, code.name(), List.of());
    }

    public static Problem invalid(List<FieldViolation> violations) {
        ErrorCode code = ErrorCode.VALIDATION_FAILED;
        String detail = violations.size() == 1
                ? violations.get(0).field() + ": " + violations.get(0).message()
                : violations.size() + " fields are invalid";
        return new Problem(code.type(), code.title(), code.status(), detail, code.name(), violations);
    }

    /** One invalid field: its path in the request and what is wrong with it. */
    @RegisterForReflection(serialization = true)
    @Schema(requiredProperties = {"field", "message"})
    public record FieldViolation(String field, String message) {
    }
}
