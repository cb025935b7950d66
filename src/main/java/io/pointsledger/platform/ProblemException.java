package io.pointsledger.platform;

/** A request refused for a reason the client can act on; rendered as an RFC 9457 problem. */
public class ProblemException extends RuntimeException {

    private final ErrorCode code;

    public ProblemException(ErrorCode code, String detail) {
        super(detail, null, false, false);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }

    public String detail() {
        return getMessage();
    }
}
