package io.pointsledger.partners;

import io.pointsledger.platform.ErrorCode;
import io.pointsledger.platform.Problem;
import io.pointsledger.platform.ProblemMapper;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Authenticates every API request by its bearer key, then applies the partner's rate limit:
 * at most one Redis round trip per request (key look-ups are cached in memory). Which scope an
 * operation needs is checked by the resource method itself through {@link CurrentCaller}.
 */
public class ApiKeyAuthentication {

    private static final String BEARER = "Bearer ";

    private final PartnerService partners;
    private final RateLimiter rateLimiter;
    private final CurrentCaller currentCaller;

    ApiKeyAuthentication(PartnerService partners, RateLimiter rateLimiter, CurrentCaller currentCaller) {
        this.partners = partners;
        this.rateLimiter = rateLimiter;
        this.currentCaller = currentCaller;
    }

    @ServerRequestFilter(priority = jakarta.ws.rs.Priorities.AUTHENTICATION)
    public Uni<Response> authenticate(ContainerRequestContext request) {
        String authorization = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())
                || authorization.length() == BEARER.length()) {
            return Uni.createFrom().item(unauthenticated("Send Authorization: Bearer <API key>"));
        }
        String key = authorization.substring(BEARER.length()).trim();
        return partners.authenticate(key).flatMap(caller -> {
            if (caller.isEmpty()) {
                return Uni.createFrom().item(unauthenticated("The API key is unknown or revoked"));
            }
            currentCaller.set(caller.get());
            return rateLimiter.acquire(caller.get()).map(ApiKeyAuthentication::rateLimited);
        });
    }

    private static Response unauthenticated(String detail) {
        return ProblemMapper.builder(Problem.of(ErrorCode.UNAUTHENTICATED, detail))
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                .build();
    }

    private static Response rateLimited(Duration retryAfter) {
        if (retryAfter == null) {
            return null;
        }
        long seconds = Math.max(1, (retryAfter.toMillis() + 999) / 1000);
        return ProblemMapper.builder(Problem.of(ErrorCode.RATE_LIMITED,
                        "Over this partner's rate limit; retry in " + seconds + " s"))
                .header("Retry-After", Long.toString(seconds))
                .build();
    }
}
