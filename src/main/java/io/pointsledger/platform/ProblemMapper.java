package io.pointsledger.platform;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidDefinitionException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.vertx.pgclient.PgException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.ws.rs.NotAcceptableException;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The one place where exceptions become HTTP answers. Everything leaves as
 * {@code application/problem+json} with a code from {@link ErrorCode}; a client's mistake is never a 500.
 */
public final class ProblemMapper {

    private static final Logger LOG = Logger.getLogger(ProblemMapper.class);

    private final JsonProblems jsonProblems;
    private final DatabaseConfig database;

    ProblemMapper(ObjectMapper mapper, DatabaseConfig database) {
        this.jsonProblems = new JsonProblems(mapper);
        this.database = database;
    }

    /** A {@code SERVICE_UNAVAILABLE} refusal (a full write queue) says when to retry, as an unreachable database does. */
    @ServerExceptionMapper
    public Response problem(ProblemException exception) {
        if (exception.code() == ErrorCode.SERVICE_UNAVAILABLE) {
            return serviceUnavailable(exception.problem());
        }
        return respond(exception.problem());
    }

    @ServerExceptionMapper
    public Response invalid(ConstraintViolationException exception) {
        List<Problem.FieldViolation> violations = exception.getConstraintViolations().stream()
                .map(violation -> new Problem.FieldViolation(fieldName(violation), violation.getMessage()))
                .sorted(Comparator.comparing(Problem.FieldViolation::field))
                .toList();
        return respond(Problem.invalid(violations));
    }

    /** Wrong JSON types, unknown fields, unknown enum constants (Quarkus maps these itself otherwise). */
    @ServerExceptionMapper(priority = Priorities.USER - 1)
    public Response mismatched(MismatchedInputException exception) {
        return respond(jsonProblems.of(exception));
    }

    /** Syntax errors, duplicate fields, numbers too large for their type, unprintable text. */
    @ServerExceptionMapper(priority = Priorities.USER - 1)
    public Response malformed(JsonProcessingException exception) {
        return respond(jsonProblems.of(exception));
    }

    /** A type Jackson cannot bind at all is a bug here, not the client's (Quarkus would answer a bare 500). */
    @ServerExceptionMapper(priority = Priorities.USER - 1)
    public Response unbindable(InvalidDefinitionException exception) {
        return unexpected(exception);
    }

    @ServerExceptionMapper
    public Response notFound(NotFoundException exception) {
        return respond(Problem.of(ErrorCode.NOT_FOUND, "No resource at this path"));
    }

    @ServerExceptionMapper
    public Response notAllowed(NotAllowedException exception) {
        return respond(Problem.of(ErrorCode.METHOD_NOT_ALLOWED, "Allowed: " + exception.getResponse().getAllowedMethods()));
    }

    @ServerExceptionMapper
    public Response unsupported(NotSupportedException exception) {
        return respond(Problem.of(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "Send Content-Type: application/json"));
    }

    @ServerExceptionMapper
    public Response notAcceptable(NotAcceptableException exception) {
        return respond(Problem.of(ErrorCode.NOT_ACCEPTABLE, "This resource produces application/json (reports also text/csv)"));
    }

    /** Other framework refusals, such as an unparsable path or query parameter. */
    @ServerExceptionMapper
    public Response web(WebApplicationException exception) {
        if (exception.getCause() instanceof InvalidDefinitionException unbindable) {
            return unbindable(unbindable);
        }
        if (exception.getCause() instanceof JsonProcessingException unreadable) {
            return malformed(unreadable);
        }
        int status = exception.getResponse().getStatus();
        if (status >= 500) {
            LOG.error("Request failed", exception);
            return respond(Problem.of(ErrorCode.INTERNAL_ERROR, "The error was logged"));
        }
        // The framework's message may name Java types, so it is not passed on.
        if (status == ErrorCode.REQUEST_TOO_LARGE.status()) {
            return respond(Problem.of(ErrorCode.REQUEST_TOO_LARGE, "The body is larger than this service accepts"));
        }
        return respond(Problem.of(ErrorCode.VALIDATION_FAILED, "The request was refused with HTTP status " + status));
    }

    /** A connection lost, refused or shutting down is 503; any other SQLSTATE is a bug of ours. */
    @ServerExceptionMapper
    public Response database(PgException exception) {
        if (BackendUnavailable.isCause(exception)) {
            return unavailable(exception);
        }
        LOG.error("PostgreSQL refused a statement", exception);
        return respond(Problem.of(ErrorCode.INTERNAL_ERROR, "The error was logged"));
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable exception) {
        if (BackendUnavailable.isCause(exception)) {
            return unavailable(exception);
        }
        LOG.error("Unexpected failure", exception);
        return respond(Problem.of(ErrorCode.INTERNAL_ERROR, "The error was logged"));
    }

    /**
     * The client retries the same request with the same key after a pause: a write that committed
     * before its connection was lost then replays, one that did not applies once.
     */
    private Response unavailable(Throwable exception) {
        LOG.warn("PostgreSQL is unavailable: " + exception);
        return serviceUnavailable(Problem.of(ErrorCode.SERVICE_UNAVAILABLE, "PostgreSQL is unavailable; retry in "
                + database.retryAfterSeconds() + " s with the same Idempotency-Key"));
    }

    private Response serviceUnavailable(Problem problem) {
        return builder(problem).header(HttpHeaders.RETRY_AFTER, Integer.toString(database.retryAfterSeconds())).build();
    }

    public static Response respond(Problem problem) {
        return builder(problem).build();
    }

    /** A problem answer still open for headers such as Retry-After or WWW-Authenticate. */
    public static Response.ResponseBuilder builder(Problem problem) {
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem);
    }

    /** The violated field as the client named it: {@code amount.value}, {@code items[2].sku}, {@code limit}. */
    private static String fieldName(ConstraintViolation<?> violation) {
        List<String> segments = new ArrayList<>();
        boolean parameterOnly = false;
        for (Path.Node node : violation.getPropertyPath()) {
            switch (node.getKind()) {
                case PARAMETER -> {
                    segments.clear();
                    segments.add(node.getName());
                    parameterOnly = true;
                }
                case PROPERTY, CONTAINER_ELEMENT, BEAN -> {
                    if (parameterOnly) {
                        // A body parameter: the client knows its fields, not the Java parameter name.
                        segments.clear();
                        parameterOnly = false;
                    }
                    if (node.getIndex() != null && !segments.isEmpty()) {
                        int last = segments.size() - 1;
                        segments.set(last, segments.get(last) + "[" + node.getIndex() + "]");
                    }
                    // A container element's name is the validator's own ("<list element>"): its index says it all.
                    if (node.getName() != null && node.getKind() != ElementKind.CONTAINER_ELEMENT) {
                        segments.add(node.getName());
                    }
                }
                default -> { }
            }
        }
        return segments.isEmpty() ? "body" : String.join(".", segments);
    }
}
