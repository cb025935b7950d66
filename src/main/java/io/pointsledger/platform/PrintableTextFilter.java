package io.pointsledger.platform;

import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * {@link PrintableText} for what is not in the JSON body, on every endpoint: path parameters
 * (decoded, so {@code %00} is a NUL), query parameters and header values. A refusal is
 * {@code VALIDATION_FAILED} naming each offending parameter or header. It runs after
 * authentication, so a caller without a valid key learns nothing about the rules.
 */
public class PrintableTextFilter {

    /** The field named when a query parameter's own name breaks the rule. */
    private static final String QUERY = "query";
    private static final String HEADER_VIOLATION = "must not contain control characters other than tab";

    @ServerRequestFilter(priority = Priorities.USER)
    public Response refuseUnprintableText(ContainerRequestContext request) {
        UriInfo uri = request.getUriInfo();
        List<Problem.FieldViolation> violations = new ArrayList<>();
        collect(uri.getPathParameters(), PrintableText::isPrintable, PrintableText.VIOLATION, violations);
        MultivaluedMap<String, String> query = uri.getQueryParameters();
        collect(query, PrintableText::isPrintable, PrintableText.VIOLATION, violations);
        if (!query.keySet().stream().allMatch(PrintableText::isPrintable)) {
            violations.add(new Problem.FieldViolation(QUERY, "parameter names " + PrintableText.VIOLATION));
        }
        collect(request.getHeaders(), PrintableText::isHeaderValue, HEADER_VIOLATION, violations);
        if (violations.isEmpty()) {
            return null;
        }
        violations.sort(Comparator.comparing(Problem.FieldViolation::field));
        return ProblemMapper.respond(Problem.invalid(violations));
    }

    /** One violation per name with a value that breaks {@code rule}; unprintable names are reported apart. */
    private static void collect(MultivaluedMap<String, String> values, Predicate<String> rule, String message,
            List<Problem.FieldViolation> violations) {
        for (Map.Entry<String, List<String>> entry : values.entrySet()) {
            if (PrintableText.isPrintable(entry.getKey()) && !entry.getValue().stream().allMatch(rule)) {
                violations.add(new Problem.FieldViolation(entry.getKey(), message));
            }
        }
    }
}
