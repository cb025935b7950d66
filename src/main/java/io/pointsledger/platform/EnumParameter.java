package io.pointsledger.platform;

import java.util.List;

/** A query parameter naming one value of an enum, such as a list's {@code status} filter. */
public final class EnumParameter {

    private EnumParameter() {
    }

    /**
     * The value of {@code type} that {@code value} names exactly; null when the parameter is left
     * out or empty. Fails with VALIDATION_FAILED naming the parameter and the values it may take.
     */
    public static <E extends Enum<E>> E parse(String name, String value, Class<E> type) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            return Enum.valueOf(type, value);
        } catch (IllegalArgumentException unknown) {
            throw ProblemException.invalid(name, "must be one of " + List.of(type.getEnumConstants()));
        }
    }
}
