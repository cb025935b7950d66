package io.pointsledger.partners;

import io.pointsledger.platform.ErrorCode;
import io.pointsledger.platform.ProblemException;
import jakarta.enterprise.context.RequestScoped;

/**
 * The authenticated caller of the current request, set by {@link ApiKeyAuthentication}. Every
 * resource method starts with {@link #require(Scope)}: authorization is a visible line of each
 * endpoint, and the authorization matrix test checks each one.
 */
@RequestScoped
public class CurrentCaller {

    private Caller caller;

    void set(Caller caller) {
        this.caller = caller;
    }

    /** The caller, if it holds {@code scope}. Fails with UNAUTHENTICATED or FORBIDDEN_SCOPE. */
    public Caller require(Scope scope) {
        if (caller == null) {
            throw new ProblemException(ErrorCode.UNAUTHENTICATED, "No API key was presented");
        }
        if (!caller.has(scope)) {
            throw new ProblemException(ErrorCode.FORBIDDEN_SCOPE, "This operation needs the scope " + scope.wireName());
        }
        return caller;
    }
}
