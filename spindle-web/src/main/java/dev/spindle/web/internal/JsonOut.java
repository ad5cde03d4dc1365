package dev.spindle.web.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.AnnotatedType;
import java.lang.reflect.Method;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Writes a handler's return value as JSON through a declared type (the response model), so that only what the model
 * declares leaves: a record model writes its own components and nothing else, whatever the value's class holds (a
 * {@code UserIn} returned through a {@code UserOut} model loses its password). Records are written through their
 * {@link ModelInfo} accessors, never through Jackson's getter discovery; leaves (strings, numbers, java.time, UUID,
 * enums, BigDecimal) are written here through jackson-core's generator, exactly as Jackson's databind writes them,
 * so that serving JSON does not load databind's serializers (about 500 classes, most of a small app's first-request
 * cost); other leaves go to {@link Json#MAPPER}.
 */
public final class JsonOut {
    private JsonOut() {}

    /** jackson-core only (its generator and buffers); {@link Json#MAPPER} is loaded for other leaves. */
    private static final JsonFactory FACTORY = new JsonFactory();

    /** {@code value} as JSON bytes through {@code model} (a type, or {@code null} for the value's own). */
    public static byte[] write(Object value, AnnotatedType model) {
        ByteArrayBuilder buf = new ByteArrayBuilder(FACTORY._getBufferRecycler(), 256);
        try (JsonGenerator g = FACTORY.createGenerator(buf)) {
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
        if (!writeLeaf(g, value)) {
            Json.MAPPER.writeValue(g, value);
        }
    }

    /** Writes the leaves databind would write the same way (its default settings, java.time as ISO text). */
    private static boolean writeLeaf(JsonGenerator g, Object value) throws IOException {
        // an instanceof chain, not a type switch: the switch's bootstrap spins a class on the first request
        if (value instanceof String s) {
            g.writeString(s);
        } else if (value instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (value instanceof Integer i) {
            g.writeNumber(i);
        } else if (value instanceof Long l) {
            g.writeNumber(l);
        } else if (value instanceof Double d) {
            g.writeNumber(d);
        } else if (value instanceof Float f) {
            g.writeNumber(f);
        } else if (value instanceof Short s) {
            g.writeNumber(s);
        } else if (value instanceof Byte b) {
            g.writeNumber(b);
        } else if (value instanceof BigDecimal d) {
            g.writeNumber(d);
        } else if (value instanceof BigInteger i) {
            g.writeNumber(i);
        } else if (value instanceof UUID u) {
            g.writeString(u.toString());
        } else if (value instanceof Instant t) {
            g.writeString(t.toString()); // ISO_INSTANT, as JavaTimeModule
        } else if (value instanceof LocalDate d) {
            g.writeString(d.toString()); // ISO_LOCAL_DATE
        } else if (value instanceof Enum<?> e && PLAIN_ENUMS.get(e.getDeclaringClass())) {
            g.writeString(Readers.enumValue(e));
        } else {
            return false;
        }
        return true;
    }

    /** Enum classes without a {@code @JsonValue} method (those are written by Jackson). */
    private static final ClassValue<Boolean> PLAIN_ENUMS = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
            for (Method m : type.getDeclaredMethods()) {
                if (Annotations.present(m, com.fasterxml.jackson.annotation.JsonValue.class)) {
                    return false;
                }
            }
            return true;
        }
    };

    /** Writes the components of {@code model} taken from {@code value} (the same record, another, a map or bean). */
    private static void writeThrough(JsonGenerator g, Object value, ModelInfo model) throws IOException {
        g.writeStartObject();
        if (value.getClass() == model.type) {
            for (ModelInfo.Component c : model.components) {
                g.writeFieldName(c.jsonName);
                write(g, model.get(c, value), c.type);
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
                write(g, v, c.type);
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
