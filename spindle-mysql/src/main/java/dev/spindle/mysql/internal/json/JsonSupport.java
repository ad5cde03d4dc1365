package dev.spindle.mysql.internal.json;

import java.lang.reflect.Type;
import java.util.Collection;
import java.util.Map;

/**
 * Not API: reads and writes JSON documents. This class names no Jackson type, so that it loads (and
 * {@link #isDocumentType} answers) without Jackson; {@link JacksonMapper} holds the Jackson part and loads on the first
 * JSON value read or written. Without Jackson that fails with the dependency to add.
 */
public final class JsonSupport {
    /** Whether Jackson's mapper is made (making it loads hundreds of classes: about a second on a cold JVM). */
    private static volatile boolean ready;

    private JsonSupport() {}

    /**
     * Makes the mapper on first use; in a coroutine, on a worker thread ({@code toThread}), so that its class loading
     * parks only this coroutine instead of holding the loop for as long as it takes.
     */
    private static void ensureReady() {
        if (ready) {
            return;
        }
        if (dev.spindle.task.Task.currentOrNull() != null) {
            dev.spindle.Spindle.toThread(() -> {
                JacksonMapper.init();
                return null;
            });
        } else {
            JacksonMapper.init();
        }
        ready = true;
    }

    /** Whether {@code type} is read from a text column as a JSON document rather than converted as a scalar. */
    public static boolean isDocumentType(Class<?> type) {
        return type.isRecord()
                || Map.class.isAssignableFrom(type)
                || Collection.class.isAssignableFrom(type)
                || (type.isArray() && type != byte[].class)
                || type.getName().startsWith("com.fasterxml.jackson.databind.");
    }

    /**
     * Parses {@code json} into {@code type} (a generic type is kept: {@code List<Address>} gives addresses).
     *
     * @throws IllegalArgumentException if the text is not JSON or does not fit the type, naming the column
     * @throws IllegalStateException without Jackson on the class path
     */
    public static Object read(String json, Type type, String column) {
        try {
            ensureReady();
            return JacksonMapper.read(json, type, column);
        } catch (NoClassDefFoundError e) {
            throw missing(e);
        }
    }

    /**
     * The JSON text of {@code value}.
     *
     * @throws IllegalArgumentException if Jackson cannot write it
     * @throws IllegalStateException without Jackson on the class path
     */
    public static String write(Object value) {
        try {
            ensureReady();
            return JacksonMapper.write(value);
        } catch (NoClassDefFoundError e) {
            throw missing(e);
        }
    }

    private static IllegalStateException missing(NoClassDefFoundError e) {
        return new IllegalStateException(
                "JSON documents need Jackson: add com.fasterxml.jackson.core:jackson-databind to the class path"
                        + " (and com.fasterxml.jackson.datatype:jackson-datatype-jsr310 for java.time fields)",
                e);
    }
}
