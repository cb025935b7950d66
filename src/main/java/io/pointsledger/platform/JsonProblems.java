package io.pointsledger.platform;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * A request body Jackson could not read, in words for the client: the field as the client named
 * it ({@code items[2].sku}, or {@code body}) and what it should have been. Never Jackson's own
 * message, which names Java classes and Jackson features.
 */
final class JsonProblems {

    /** Jackson says so only in its message; these are stable across Jackson 2 versions. */
    private static final String DUPLICATE_FIELD_MESSAGE = "Duplicate field";
    private static final String TRAILING_TOKEN_MESSAGE = "Trailing token";

    private static final Set<Class<?>> INTEGER_TYPES = Set.of(Long.class, long.class, Integer.class, int.class,
            Short.class, short.class, Byte.class, byte.class, BigInteger.class);
    private static final Set<Class<?>> TIMESTAMP_TYPES = Set.of(OffsetDateTime.class, ZonedDateTime.class, Instant.class);

    private final ObjectMapper mapper;

    /** {@code mapper} names enum constants as the API spells them. */
    JsonProblems(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    Problem of(JsonProcessingException exception) {
        JsonProcessingException reason = innermost(exception);
        String field = field(exception, reason);
        if (reason instanceof UnprintableTextException) {
            return Problem.invalid(List.of(new Problem.FieldViolation(field, PrintableText.VIOLATION)));
        }
        return Problem.of(ErrorCode.MALFORMED_REQUEST, field + ": " + describe(reason));
    }

    /** Jackson wraps a parser's refusal in a mapping exception that only adds the path. */
    private static JsonProcessingException innermost(JsonProcessingException exception) {
        JsonProcessingException reason = exception;
        while (reason.getCause() instanceof JsonProcessingException cause) {
            reason = cause;
        }
        return reason;
    }

    /**
     * The parser knows where it stopped, down to a duplicate field's own name; a mapping
     * exception knows the path of the value it was binding.
     */
    private static String field(JsonProcessingException exception, JsonProcessingException reason) {
        if (reason instanceof StreamReadException read && read.getProcessor() != null) {
            return path(read.getProcessor());
        }
        if (exception instanceof JsonMappingException mapping) {
            return path(mapping.getPath());
        }
        return "body";
    }

    private String describe(JsonProcessingException reason) {
        if (reason instanceof UnrecognizedPropertyException unknown) {
            return "not a field of this object; its fields are " + unknown.getKnownPropertyIds().stream()
                    .map(String::valueOf).sorted().toList();
        }
        if (reason instanceof MismatchedInputException mismatch) {
            return mismatch.getOriginalMessage().startsWith(TRAILING_TOKEN_MESSAGE)
                    ? "must be one JSON value, with nothing after it"
                    : notA(mismatch.getTargetType());
        }
        if (reason instanceof InputCoercionException coercion) {
            return "out of range for " + (INTEGER_TYPES.contains(coercion.getTargetType()) ? "an integer" : "a number");
        }
        if (reason instanceof StreamConstraintsException) {
            return beyondLimits();
        }
        if (reason instanceof JsonParseException syntax) {
            return syntax.getOriginalMessage().startsWith(DUPLICATE_FIELD_MESSAGE)
                    ? "sent more than once"
                    : "not valid JSON" + at(syntax.getLocation());
        }
        return reason instanceof JsonMappingException ? "has an invalid value" : "not valid JSON";
    }

    /** What a value of {@code type} is not, for a value of another JSON type or format. */
    private String notA(Class<?> type) {
        if (type == null) {
            return "has the wrong type";
        }
        if (type.isEnum()) {
            return "not one of " + jsonNames(type);
        }
        if (TIMESTAMP_TYPES.contains(type)) {
            return "not an ISO-8601 timestamp with offset, such as 2026-05-01T09:30:00Z";
        }
        if (type == LocalDate.class) {
            return "not an ISO-8601 date, such as 1990-04-23";
        }
        if (type == UUID.class) {
            return "not a UUID";
        }
        if (INTEGER_TYPES.contains(type)) {
            return "not an integer";
        }
        if (Number.class.isAssignableFrom(type) || type == double.class || type == float.class) {
            return "not a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "not true or false";
        }
        if (CharSequence.class.isAssignableFrom(type)) {
            return "not a string";
        }
        return type.isArray() || Collection.class.isAssignableFrom(type) ? "not an array" : "not an object";
    }

    /** The constants as the API spells them, in declaration order. */
    private String jsonNames(Class<?> enumType) {
        return Arrays.stream(enumType.getEnumConstants())
                .map(constant -> mapper.valueToTree(constant).asText())
                .collect(Collectors.joining(", ", "[", "]"));
    }

    private static String beyondLimits() {
        StreamReadConstraints limits = StreamReadConstraints.defaults();
        return "beyond the JSON limits: at most " + limits.getMaxNestingDepth() + " levels of nesting, "
                + limits.getMaxNumberLength() + " digits in a number and " + limits.getMaxNameLength()
                + " characters in a field name";
    }

    private static String at(JsonLocation location) {
        return location == null || location.getLineNr() < 1
                ? ""
                : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }

    private static String path(JsonParser parser) {
        Deque<JsonStreamContext> levels = new ArrayDeque<>();
        for (JsonStreamContext level = parser.getParsingContext(); level != null && !level.inRoot(); level = level.getParent()) {
            levels.push(level);
        }
        StringBuilder path = new StringBuilder();
        for (JsonStreamContext level : levels) {
            if (level.inArray()) {
                path.append('[').append(Math.max(0, level.getCurrentIndex())).append(']');
            } else if (level.getCurrentName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(level.getCurrentName());
            }
        }
        return path.isEmpty() ? "body" : path.toString();
    }

    private static String path(List<JsonMappingException.Reference> references) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference reference : references) {
            if (reference.getFieldName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.isEmpty() ? "body" : path.toString();
    }
}
