package io.pointsledger.partners;

import io.pointsledger.platform.ErrorCode;
import io.pointsledger.platform.Problem;
import io.pointsledger.platform.ProblemMapper;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Enforces each resource method's {@link RequiresScope}. It is not pre-matching, so it knows the
 * method; it runs after {@link ApiKeyAuthentication} (higher priority number) and, like every
 * request filter of Quarkus REST, before the body is read, deserialised and validated: a key
 * without the scope gets {@code 403 FORBIDDEN_SCOPE} whatever it sends.
 */
public class ScopeAuthorization {

    private static final Logger LOG = Logger.getLogger(ScopeAuthorization.class);

    private final CurrentCaller currentCaller;

    ScopeAuthorization(CurrentCaller currentCaller) {
        this.currentCaller = currentCaller;
    }

    /** Null lets the request through; otherwise the refusal. */
    @ServerRequestFilter(priority = Priorities.AUTHORIZATION)
    public Response authorize(ResourceInfo resource) {
        if (resource.getResourceMethod().isAnnotationPresent(Anonymous.class)) {
            return null;
        }
        RequiresScope required = resource.getResourceMethod().getAnnotation(RequiresScope.class);
        if (required == null) {
            // Fail closed: an endpoint that forgot to declare its scope serves nobody until it does.
            LOG.errorf("%s.%s declares no @RequiresScope; refusing every caller",
                    resource.getResourceClass().getSimpleName(), resource.getResourceMethod().getName());
            return refuse(ErrorCode.FORBIDDEN_SCOPE, "This operation declares no scope");
        }
        Caller caller = currentCaller.authenticated();
        if (caller == null) {
            return refuse(ErrorCode.UNAUTHENTICATED, "No API key was presented");
        }
        if (!caller.has(required.value())) {
            return refuse(ErrorCode.FORBIDDEN_SCOPE, "This operation needs the scope " + required.value().wireName());
        }
        return null;
    }

    private static Response refuse(ErrorCode code, String detail) {
        return ProblemMapper.builder(Problem.of(code, detail)).build();
    }
}
