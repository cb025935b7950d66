package io.pointsledger.platform;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonMappingException;

/**
 * A JSON string that breaks {@link PrintableText}. A {@link JsonMappingException}, so Jackson adds
 * the path of the field to it on the way out; the text itself is not kept, to keep it out of logs.
 */
final class UnprintableTextException extends JsonMappingException {

    private static final long serialVersionUID = 1L;

    UnprintableTextException(JsonParser parser) {
        super(parser, PrintableText.VIOLATION);
    }
}
