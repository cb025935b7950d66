package io.pointsledger.partners;

import io.pointsledger.platform.ErrorCode;
import io.pointsledger.platform.Problem;
import io.pointsledger.platform.ProblemMapper;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.Optional;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Authenticates every API request by its bearer key, then applies the partner's rate limit:
 * at most one Redis round trip per request (key look-ups are cached in memory). Which scope an
 * operation needs is checked next, by {@link ScopeAuthorization}, from the method's {@link RequiresScope}.
 *
 * <p>An anonymous client must not be able to drain the database pool: a value not shaped like an
 * issued key is refused without a query, and a client address that failed authentication more
 * than {@link SecurityConfig#authenticationFailuresPerAddressMax()} times in a window gets
 * {@code 429 RATE_LIMITED} for every key this instance cannot answer from memory. Keys it has
 * cached (recently used, valid) still pass from that address: a till behind the same NAT as an
 * attacker keeps working. The address is the connection's peer, or the one a trusted proxy
 * forwarded when {@code quarkus.http.proxy.*} says to trust it; never a header taken at its word.
 */
public class ApiKeyAuthentication {

    private static final String BEARER = "Bearer ";
    private static final String UNKNOWN_ADDRESS = "unknown";

    private final PartnerService partners;
    private final RateLimiter rateLimiter;
    private final AuthenticationFailures failures;
    private final CurrentCaller currentCaller;

    ApiKeyAuthentication(PartnerService partners, RateLimiter rateLimiter, AuthenticationFailures failures,
            CurrentCaller currentCaller) {
        this.partners = partners;
        this.rateLimiter = rateLimiter;
        this.failures = failures;
        this.currentCaller = currentCaller;
    }

    @ServerRequestFilter(priority = jakarta.ws.rs.Priorities.AUTHENTICATION)
    public Uni<Response> authenticate(ContainerRequestContext request, HttpServerRequest connection, ResourceInfo resource) {
        if (resource.getResourceMethod() != null && resource.getResourceMethod().isAnnotationPresent(Anonymous.class)) {
            return Uni.createFrom().nullItem();
        }
        String authorization = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())
                || authorization.length() == BEARER.length()) {
            return Uni.createFrom().item(unauthenticated("Send Authorization: Bearer <API key>"));
        }
        String key = authorization.substring(BEARER.length()).trim();
        String address = clientAddress(connection);
        Duration blockedFor = failures.blockedFor(address);
        Uni<Optional<Caller>> caller = blockedFor == null ? partners.authenticate(key)
                : Uni.createFrom().item(partners.authenticateFromMemory(key));
        return caller.flatMap(found -> {
            if (found.isPresent()) {
                return rateLimiter.acquire(admit(found.get())).map(ApiKeyAuthentication::rateLimited);
            }
            return Uni.createFrom().item(blockedFor == null ? failed(address) : tooManyFailures(failures.refused(blockedFor)));
        });
    }

    private Caller admit(Caller caller) {
        currentCaller.set(caller);
        return caller;
    }

    private Response failed(String address) {
        Duration retryAfter = failures.record(address);
        return retryAfter == null ? unauthenticated("The API key is unknown or revoked") : tooManyFailures(retryAfter);
    }

    private static String clientAddress(HttpServerRequest connection) {
        SocketAddress remote = connection.remoteAddress();
        return remote == null || remote.hostAddress() == null ? UNKNOWN_ADDRESS : remote.hostAddress();
    }

    private static Response unauthenticated(String detail) {
        return ProblemMapper.builder(Problem.of(ErrorCode.UNAUTHENTICATED, detail))
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                .build();
    }

    private static Response rateLimited(Duration retryAfter) {
        return retryAfter == null ? null : tooManyRequests(retryAfter, "Over this partner's rate limit");
    }

    private static Response tooManyFailures(Duration retryAfter) {
        return tooManyRequests(retryAfter, "Too many failed authentications from this address");
    }

    private static Response tooManyRequests(Duration retryAfter, String reason) {
        long seconds = Math.max(1, (retryAfter.toMillis() + 999) / 1000);
        return ProblemMapper.builder(Problem.of(ErrorCode.RATE_LIMITED, reason + "; retry in " + seconds + " s"))
                .header("Retry-After", Long.toString(seconds))
                .build();
    }
}
