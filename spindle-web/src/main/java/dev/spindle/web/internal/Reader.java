package dev.spindle.web.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.lang.reflect.AnnotatedType;
import java.util.List;

/**
 * Turns wire values (text of a path, query, header, cookie or form field; or a JSON tree) into one Java type,
 * reporting every problem to {@link Errors} with pydantic's error types. Built once per declared type at startup by
 * {@link Readers}; thread-safe and stateless.
 */
public abstract class Reader {
    /** Returned when the value was invalid (the error is already reported). */
    public static final Object INVALID = new Object() {
        @Override
        public String toString() {
            return "INVALID";
        }
    };

    public final AnnotatedType type;
    public final Constraints constraints;

    protected Reader(AnnotatedType type, Constraints constraints) {
        this.type = type;
        this.constraints = constraints;
    }

    /** Converts one text value. */
    public final Object readText(String text, Loc loc, Errors errors) {
        Object v = fromText(text, loc, errors);
        return checked(v, loc, errors);
    }

    /** Converts several text values of one key (a repeated query key); only list readers take more than one. */
    public final Object readTexts(List<String> texts, Loc loc, Errors errors) {
        return checked(fromTexts(texts, loc, errors), loc, errors);
    }

    /** Converts the values of a repeated key: the last one, unless this reader takes lists. */
    protected Object fromTexts(List<String> texts, Loc loc, Errors errors) {
        return fromText(texts.getLast(), loc, errors);
    }

    /** Converts a JSON value ({@code null} node included). */
    public final Object readJson(JsonNode node, Loc loc, Errors errors) {
        Object v = fromJson(node, loc, errors);
        return checked(v, loc, errors);
    }

    private Object checked(Object v, Loc loc, Errors errors) {
        if (v != INVALID && v != null && !constraints.isEmpty()) {
            int before = errors.count();
            constraints.check(unwrap(v), loc, errors);
            if (errors.count() != before) {
                return INVALID;
            }
        }
        return v;
    }

    /** The value the constraints see ({@code Optional}'s content). */
    protected Object unwrap(Object v) {
        return v;
    }

    protected abstract Object fromText(String text, Loc loc, Errors errors);

    protected abstract Object fromJson(JsonNode node, Loc loc, Errors errors);

    /** Whether this reader takes a list of values (repeated keys). */
    public boolean isMulti() {
        return false;
    }

    /** The value when absent and not required ({@code Optional.empty()}), or {@code null}. */
    public Object absent() {
        return null;
    }

    /** Whether absence is fine (an {@code Optional}). */
    public boolean isOptional() {
        return false;
    }
}
