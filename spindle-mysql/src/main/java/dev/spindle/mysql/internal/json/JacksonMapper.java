package dev.spindle.mysql.internal.json;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.lang.reflect.Type;

/**
 * Not API: the Jackson side of {@link JsonSupport}. One mapper for the process, with every Jackson module found on
 * the class path (jsr310 for java.time, for instance); loaded only when a JSON document is read or written.
 */
final class JacksonMapper {
    private static final ObjectMapper MAPPER =
            JsonMapper.builder().findAndAddModules().build();

    private JacksonMapper() {}

    /** Loads and initialises this class (and so Jackson); does nothing once done. */
    static void init() {}

    static Object read(String json, Type type, String column) {
        try {
            return MAPPER.readValue(json, MAPPER.getTypeFactory().constructType(type));
        } catch (JacksonException e) {
            throw new IllegalArgumentException(
                    "column " + column + " does not hold a JSON document that reads as " + type.getTypeName() + ": "
                            + e.getOriginalMessage(),
                    e);
        }
    }

    static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JacksonException e) {
            throw new IllegalArgumentException(
                    "cannot write a " + value.getClass().getName() + " as JSON: " + e.getOriginalMessage(), e);
        }
    }
}
