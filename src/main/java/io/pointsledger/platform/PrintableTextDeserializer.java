package io.pointsledger.platform;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.BeanProperty;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.deser.ContextualDeserializer;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.type.LogicalType;
import java.io.IOException;

/**
 * Reads every JSON string bound to a {@code String} (a record component, a list element) as
 * Jackson does, then applies {@link PrintableText}: a new request type gets the rule without
 * naming it. The refusal carries the JSON path, which {@link ProblemMapper} turns into a
 * {@code VALIDATION_FAILED} violation naming the field.
 *
 * <p>Untyped values ({@code Object}, {@code Map}, Vert.x {@code JsonObject}) are read by the plain
 * deserializer: that is how jsonb columns and events are decoded (the Vert.x codec copies this
 * mapper), and text stored before this rule existed must still read.
 */
final class PrintableTextDeserializer extends StdScalarDeserializer<String> implements ContextualDeserializer {

    PrintableTextDeserializer() {
        super(String.class);
    }

    @Override
    public String deserialize(JsonParser parser, DeserializationContext context) throws IOException {
        String text = StringDeserializer.instance.deserialize(parser, context);
        if (text != null && !PrintableText.isPrintable(text)) {
            throw new UnprintableTextException(parser);
        }
        return text;
    }

    @Override
    public JsonDeserializer<?> createContextual(DeserializationContext context, BeanProperty property) {
        JavaType target = context.getContextualType();
        return target != null && target.hasRawClass(String.class) ? this : StringDeserializer.instance;
    }

    @Override
    public LogicalType logicalType() {
        return LogicalType.Textual;
    }

    @Override
    public boolean isCachable() {
        return true;
    }
}
