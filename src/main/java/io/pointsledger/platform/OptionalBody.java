package io.pointsledger.platform;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Validator;
import java.util.Set;
import java.util.function.Supplier;

/**
 * A request body a till may leave out, with or without a Content-Type (a full capture, a
 * cancellation without a reason): read as text by a resource that consumes any media type, then
 * parsed and validated here with the same rules as every other body. A JSON null, like no body,
 * is the request's empty form.
 */
@ApplicationScoped
public class OptionalBody {

    private final ObjectMapper mapper;
    private final Validator validator;

    OptionalBody(ObjectMapper mapper, Validator validator) {
        this.mapper = mapper;
        this.validator = validator;
    }

    /**
     * The body as {@code type}, or {@code empty} when there is none. Fails as a body that breaks its
     * rules. Named like Jackson's own call so that NativeReflectionTest's scan finds {@code type}
     * among the classes handed to Jackson, which a native executable must be able to reflect on.
     */
    public <T> T readValue(String body, Class<T> type, Supplier<T> empty) throws JsonProcessingException {
        T parsed = body == null || body.isBlank() ? null : mapper.readValue(body, type);
        T request = parsed == null ? empty.get() : parsed;
        Set<ConstraintViolation<T>> violations = validator.validate(request);
        if (!violations.isEmpty()) {
            throw new ConstraintViolationException(violations);
        }
        return request;
    }
}
