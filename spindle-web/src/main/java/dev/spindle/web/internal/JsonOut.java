package dev.spindle.web.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.AnnotatedType;
import java.lang.reflect.Method;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Writes a handler's return value as JSON through a declared type (the response model), so that only what the model
 * declares leaves: a record model writes its own components and nothing else, whatever the value's class holds (a
 * {@code UserIn} returned through a {@code UserOut} model loses its password). Records are written through their
 * {@link ModelInfo} accessors, never through Jackson's getter discovery; leaves (strings, numbers, java.time, UUID,
 * enums, BigDecimal) go to Jackson.
 */
public final class JsonOut {
    private JsonOut() {}

    /** {@code value} as JSON bytes through {@code model} (a type, or {@code null} for the value's own). */
    public static byte[] write(Object value, AnnotatedType model) {
        ByteArrayBuilder buf = new ByteArrayBuilder(Json.MAPPER.getFactory()._getBufferRecycler(), 256);
        try (JsonGenerator g = Json.MAPPER.getFactory().createGenerator(buf)) {
            g.setCodec(Json.MAPPER);
            write(g, value, model);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] out = buf.toByteArray();
        buf.release();
        return out;
    }

    static void write(JsonGenerator g, Object value, AnnotatedType model) throws IOException {
        if (value == null) {
            g.writeNull();
            return;
        }
        Class<?> raw = model == null ? Object.class : Readers.rawClass(model.getType());
        if (value instanceof Optional<?> o) {
            write(g, o.orElse(null), raw == Optional.class ? Readers.typeArg(model, 0) : model);
            return;
        }
        if (raw.isRecord()) {
            writeThrough(g, value, ModelInfo.of(raw));
            return;
        }
        if (value instanceof Record) {
            writeThrough(g, value, ModelInfo.of(value.getClass()));
            return;
        }
        if (value instanceof Map<?, ?> m) {
            AnnotatedType vt = raw == Map.class && model instanceof java.lang.reflect.AnnotatedParameterizedType
                    ? Readers.typeArg(model, 1)
                    : null;
            g.writeStartObject();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                Object k = e.getKey();
                g.writeFieldName(k instanceof Enum<?> en ? Readers.enumValue(en) : String.valueOf(k));
                write(g, e.getValue(), vt);
            }
            g.writeEndObject();
            return;
        }
        if (value instanceof Collection<?> || value instanceof Object[]) {
            AnnotatedType et = Collection.class.isAssignableFrom(raw)
                            && model instanceof java.lang.reflect.AnnotatedParameterizedType
                    ? Readers.typeArg(model, 0)
                    : null;
            g.writeStartArray();
            for (Object e : value instanceof Object[] arr ? java.util.Arrays.asList(arr) : (Collection<?>) value) {
                write(g, e, et);
            }
            g.writeEndArray();
            return;
        }
        g.writeObject(value);
    }

    /** Writes the components of {@code model} taken from {@code value} (the same record, another, a map or bean). */
    private static void writeThrough(JsonGenerator g, Object value, ModelInfo model) throws IOException {
        g.writeStartObject();
        if (value.getClass() == model.type) {
            for (ModelInfo.Component c : model.components) {
                g.writeFieldName(c.jsonName);
                write(g, model.get(c, value), c.component.getAnnotatedType());
            }
        } else {
            for (ModelInfo.Component c : model.components) {
                Object v = property(value, c);
                if (v == MISSING) {
                    if (c.required) {
                        throw new IllegalStateException(
                                "the response model " + model.type.getSimpleName() + " requires " + c.jsonName
                                        + ", which " + value.getClass().getName() + " lacks");
                    }
                    v = c.defaultValue;
                }
                g.writeFieldName(c.jsonName);
                write(g, v, c.component.getAnnotatedType());
            }
        }
        g.writeEndObject();
    }

    private static final Object MISSING = new Object();

    private static final ConcurrentHashMap<Class<?>, Map<String, Method>> GETTERS = new ConcurrentHashMap<>();

    private static Object property(Object value, ModelInfo.Component c) {
        if (value instanceof Map<?, ?> m) {
            if (m.containsKey(c.jsonName)) {
                return m.get(c.jsonName);
            }
            return m.containsKey(c.javaName) ? m.get(c.javaName) : MISSING;
        }
        if (value instanceof Record) {
            ModelInfo other = ModelInfo.of(value.getClass());
            ModelInfo.Component oc = other.component(c.javaName);
            return oc == null ? MISSING : other.get(oc, value);
        }
        Map<String, Method> getters = GETTERS.computeIfAbsent(value.getClass(), JsonOut::getters);
        Method m = getters.get(c.javaName);
        if (m == null) {
            return MISSING;
        }
        try {
            return m.invoke(value);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(
                    "cannot read " + c.javaName + " of " + value.getClass().getName(), e);
        }
    }

    private static Map<String, Method> getters(Class<?> type) {
        Map<String, Method> out = new ConcurrentHashMap<>();
        for (Method m : type.getMethods()) {
            if (m.getParameterCount() != 0 || m.getDeclaringClass() == Object.class) {
                continue;
            }
            try {
                m.setAccessible(true); // a public getter of a class that is not public
            } catch (RuntimeException e) {
                continue;
            }
            String n = m.getName();
            if (n.startsWith("get") && n.length() > 3) {
                out.put(Character.toLowerCase(n.charAt(3)) + n.substring(4), m);
            } else if (n.startsWith("is") && n.length() > 2 && m.getReturnType() == boolean.class) {
                out.put(Character.toLowerCase(n.charAt(2)) + n.substring(3), m);
            } else {
                out.putIfAbsent(n, m);
            }
        }
        return out;
    }
}
