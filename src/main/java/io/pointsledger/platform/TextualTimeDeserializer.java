package io.pointsledger.platform;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.deser.std.DelegatingDeserializer;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import java.io.IOException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a time, date or time of day only from a JSON string, as the OpenAPI document describes
 * them: Jackson's own readers also take {@code 1764403200} for a moment in 1970 + seconds,
 * {@code 20000} for a day and {@code [22, 0]} for a time of day, none of which a client means.
 * Wraps the reader Jackson chose, so that what a string may say is unchanged, except for years
 * outside 1 to 9999: ISO 8601 writes those with a sign ("+300000-01-01"), PostgreSQL cannot store
 * some of them, and no loyalty program means one. Nor may the text hold spaces or control
 * characters, which Jackson's readers would trim away, nor a day be given as a date-time.
 */
final class TextualTimeDeserializer extends DelegatingDeserializer {

    private static final Pattern DAY = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    private static final Set<Class<?>> TIMES = Set.of(OffsetDateTime.class, LocalDateTime.class, LocalDate.class, LocalTime.class);

    TextualTimeDeserializer(JsonDeserializer<?> delegate) {
        super(delegate);
    }

    /** Puts the wrapper around the reader of each time type. */
    static BeanDeserializerModifier modifier() {
        return new BeanDeserializerModifier() {
            @Override
            public JsonDeserializer<?> modifyDeserializer(DeserializationConfig config, BeanDescription description,
                    JsonDeserializer<?> deserializer) {
                return TIMES.contains(description.getBeanClass()) ? new TextualTimeDeserializer(deserializer) : deserializer;
            }
        };
    }

    @Override
    protected JsonDeserializer<?> newDelegatingInstance(JsonDeserializer<?> delegate) {
        return new TextualTimeDeserializer(delegate);
    }

    @Override
    public Object deserialize(JsonParser parser, DeserializationContext context) throws IOException {
        if (!parser.hasToken(JsonToken.VALUE_STRING)) {
            return context.handleUnexpectedToken(handledType(), parser);
        }
        String text = parser.getText();
        if (text.chars().anyMatch(character -> character <= ' ')) {
            // Jackson's readers trim first, and String.trim takes NUL and every control character
            // with the spaces: "2011-09-01\u0000" would be read as a day.
            throw InvalidFormatException.from(parser, "a time without spaces or control characters", text, handledType());
        }
        if (handledType() == LocalDate.class && !text.isEmpty() && !DAY.matcher(text).matches()) {
            // Jackson's reader also takes a date-time for a day and drops its time and offset. An
            // empty string stays what it was for every time type: no value.
            throw InvalidFormatException.from(parser, "a day, YYYY-MM-DD", text, handledType());
        }
        Object time = super.deserialize(parser, context);
        int year = time instanceof OffsetDateTime moment ? moment.getYear() : time instanceof LocalDateTime local ? local.getYear()
                : time instanceof LocalDate day ? day.getYear() : ApiLimits.YEAR_MIN;
        if (year < ApiLimits.YEAR_MIN || year > ApiLimits.YEAR_MAX) {
            throw InvalidFormatException.from(parser, "a year from " + ApiLimits.YEAR_MIN + " to " + ApiLimits.YEAR_MAX, text, handledType());
        }
        return time;
    }
}
