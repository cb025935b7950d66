package io.pointsledger.platform;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.filters.Filters;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Refuses a body whose declared length is over {@code quarkus.http.limits.max-body-size} with a
 * {@code REQUEST_TOO_LARGE} problem before any of it is read. (Vert.x enforces the same limit on
 * chunked bodies, with a bare 413.)
 */
@ApplicationScoped
public class RequestBodyLimit {

    /** Runs before the REST layer, which registers its route at a lower priority. */
    private static final int FILTER_PRIORITY = 1000;

    void register(@Observes Filters filters, ObjectMapper mapper,
            @ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize bodySizeMax) throws JsonProcessingException {
        long maximum = bodySizeMax.asLongValue();
        String problem = mapper.writeValueAsString(Problem.of(ErrorCode.REQUEST_TOO_LARGE,
                "The body may be at most " + maximum + " bytes"));
        filters.register(context -> {
            String declared = context.request().getHeader("Content-Length");
            if (declared != null && isOver(declared, maximum)) {
                context.response().setStatusCode(ErrorCode.REQUEST_TOO_LARGE.status())
                        .putHeader("Content-Type", Problem.MEDIA_TYPE)
                        .putHeader("Connection", "close")
                        .end(problem)
                        // The body was never read: what follows on this connection is its bytes,
                        // not a next request, so the connection must not be reused.
                        .onComplete(ended -> context.request().connection().close());
                return;
            }
            context.next();
        }, FILTER_PRIORITY);
    }

    private static boolean isOver(String declaredLength, long maximum) {
        try {
            return Long.parseLong(declaredLength.trim()) > maximum;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
