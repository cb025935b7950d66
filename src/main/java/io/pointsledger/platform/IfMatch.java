package io.pointsledger.platform;

/**
 * The version an {@code If-Match} header names, for resources whose ETag is their version
 * ({@code "3"}): optimistic concurrency, so that two changes made from the same read cannot
 * silently overwrite each other.
 */
public final class IfMatch {

    public static final String HEADER = "If-Match";

    private IfMatch() {
    }

    /**
     * The version named ({@code "3"}, {@code W/"3"} or {@code 3}; {@code "0"} for a resource that
     * has none yet); null when there is none, or for
     * {@code *}, which matches any version (RFC 9110). {@code resource} names what is versioned, for
     * the refusal of a value that is no version.
     */
    public static Long version(String ifMatch, String resource) {
        if (ifMatch == null || ifMatch.isBlank() || ifMatch.strip().equals("*")) {
            return null;
        }
        String value = ifMatch.strip();
        if (value.startsWith("W/")) {
            value = value.substring(2);
        }
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
            value = value.substring(1, value.length() - 1);
        }
        try {
            long version = Long.parseLong(value);
            if (version >= 0) {
                return version;
            }
        } catch (NumberFormatException e) {
            // Refused below, like any other value that is no version.
        }
        throw ProblemException.invalid(HEADER, "must be a " + resource + " version as its ETag gives it, such as \"3\"");
    }

    /** A 200 answer of {@code entity} with its version as the ETag, which a change then names in If-Match. */
    public static jakarta.ws.rs.core.Response tagged(Object entity, long version) {
        return jakarta.ws.rs.core.Response.ok(entity).tag(new jakarta.ws.rs.core.EntityTag(Long.toString(version))).build();
    }

    /**
     * The version a change must be made against: {@code IF_MATCH_REQUIRED} when the header is
     * missing; null for {@code *}.
     */
    public static Long required(String ifMatch, String resource) {
        return required(ifMatch, resource, "the ETag of the " + resource + " as read");
    }

    /** {@link #required(String, String)} for a resource whose version is where {@code readFrom} says (its body's field). */
    public static Long required(String ifMatch, String resource, String readFrom) {
        if (ifMatch == null || ifMatch.isBlank()) {
            throw new ProblemException(ErrorCode.IF_MATCH_REQUIRED, "Name the version the change is made against: "
                    + "If-Match: \"<version>\" (" + readFrom + ")");
        }
        return version(ifMatch, resource);
    }
}
