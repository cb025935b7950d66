package io.pointsledger.platform;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

/**
 * Money-grade JSON: a number is never silently rounded, truncated or parsed out of a string.
 * {@code "points": 1.5}, {@code "points": "10"}, {@code "channel": 0} and {@code "validFrom": 1} are all refused. So are a
 * field sent twice ({@code {"points":5,"points":-1}} would otherwise be validated as -1), a field
 * the request does not have (a misspelt optional field would otherwise be dropped in silence) and
 * text that breaks {@link PrintableText}.
 *
 * <p>This customizer runs after Quarkus's own, so it overrides
 * {@code quarkus.jackson.fail-on-unknown-properties}. The Vert.x JSON codec copies this mapper, so
 * it also reads jsonb columns and events: those have no duplicate keys and are read untyped, which
 * neither unknown fields nor the text rule touch; the receipts read typed skip unknown fields.
 */
@Singleton
public final class JsonStrictness implements ObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
        mapper.enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS);
        mapper.enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
        mapper.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        mapper.enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);
        mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        mapper.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        mapper.registerModule(new SimpleModule("printable-text").addDeserializer(String.class, new PrintableTextDeserializer()));
        mapper.configure(MapperFeature.ALLOW_COERCION_OF_SCALARS, false);
        for (LogicalType type : new LogicalType[] {LogicalType.Integer, LogicalType.Float, LogicalType.Boolean}) {
            mapper.coercionConfigFor(type).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
        }
        mapper.coercionConfigFor(LogicalType.Textual).setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Textual).setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Textual).setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        mapper.registerModule(new SimpleModule("textual-times").setDeserializerModifier(TextualTimeDeserializer.modifier()));
    }
}
