package io.pointsledger.partners;

import io.pointsledger.platform.ErrorCode;
import io.pointsledger.platform.ProblemException;
import jakarta.enterprise.context.RequestScoped;

/**
 * The authenticated caller of the current request, set by {@link ApiKeyAuthentication}. The scope
 * an operation needs is declared on its resource method ({@link RequiresScope}) and checked by
 * {@link ScopeAuthorization} before the body is read; a resource method asks here only who is
 * calling, or for a rule that depends on the body.
 */
@RequestScoped
public class CurrentCaller {

    private Caller caller;

    void set(Caller caller) {
        this.caller = caller;
    }

    /** The caller, or null when the request was not authenticated. */
    Caller authenticated() {
        return caller;
    }

    /** The caller, whose scope {@link ScopeAuthorization} has already checked. Fails with UNAUTHENTICATED. */
    public Caller get() {
        if (caller == null) {
            throw new ProblemException(ErrorCode.UNAUTHENTICATED, "No API key was presented");
        }
        return caller;
    }

    /**
     * The caller, if it also holds {@code scope}: for a rule that depends on the body, which no
     * annotation can state. Fails with UNAUTHENTICATED or FORBIDDEN_SCOPE.
     */
    public Caller require(Scope scope) {
        Caller current = get();
        if (!current.has(scope)) {
            throw new ProblemException(ErrorCode.FORBIDDEN_SCOPE, "This operation needs the scope " + scope.wireName());
        }
        return current;
    }
}
