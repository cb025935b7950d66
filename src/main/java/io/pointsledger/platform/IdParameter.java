package io.pointsledger.platform;

import java.util.UUID;
import java.util.regex.Pattern;

/** A query parameter naming something by its id, such as a report's {@code segmentId} filter. */
public final class IdParameter {

    /** The canonical text of a UUID: {@link UUID#fromString} also takes signs and shortened groups. */
    private static final Pattern CANONICAL = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private IdParameter() {
    }

    /** The id {@code value} names; null when the parameter is left out or empty. Fails with VALIDATION_FAILED naming it. */
    public static UUID parse(String name, String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        if (!CANONICAL.matcher(value).matches()) {
            throw ProblemException.invalid(name, "must be a UUID");
        }
        return UUID.fromString(value);
    }
}
