package dev.spindle.web.internal;

import com.fasterxml.jackson.databind.JsonNode;

/** Converts {@code @Default} text at startup, so that a wrong default fails the app's start, not a request. */
public final class Defaults {
    private Defaults() {}

    public static Object convert(Reader reader, String text, String where) {
        Errors errors = new Errors();
        Object v;
        String t = text.strip();
        if (reader.isMulti() || reader instanceof Readers.MapReader || reader instanceof Readers.ModelReader) {
            JsonNode node;
            try {
                node = Json.MAPPER.readTree(t);
            } catch (Exception e) {
                throw new IllegalArgumentException("@Default(\"" + text + "\") of " + where + " is not JSON", e);
            }
            v = reader.readJson(node, Loc.of("default"), errors);
        } else {
            v = reader.readText(text, Loc.of("default"), errors);
        }
        if (v == Reader.INVALID) {
            throw new IllegalArgumentException(
                    "@Default(\"" + text + "\") of " + where + " is not valid: " + errors.list());
        }
        return v;
    }
}
