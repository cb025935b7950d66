package io.pointsledger.platform;

import java.util.List;

/** A request refused for a reason the client can act on; rendered as an RFC 9457 problem. */
public class ProblemException extends RuntimeException {

    private final ErrorCode code;
    private final List<Problem.FieldViolation> violations;

    public ProblemException(ErrorCode code, String detail) {
        this(code, detail, List.of());
    }

    private ProblemException(ErrorCode code, String detail, List<Problem.FieldViolation> violations) {
        super(detail, null, false, false);
        this.code = code;
        this.violations = violations;
    }

    /** A {@code VALIDATION_FAILED} refusal of one field, parameter or header, named as the client sent it. */
    public static ProblemException invalid(String field, String message) {
        return new ProblemException(ErrorCode.VALIDATION_FAILED, field + ": " + message,
                List.of(new Problem.FieldViolation(field, message)));
    }

    public ErrorCode code() {
        return code;
    }

    public String detail() {
        return getMessage();
    }

    public Problem problem() {
        return violations.isEmpty() ? Problem.of(code, detail()) : Problem.invalid(violations);
    }
}
