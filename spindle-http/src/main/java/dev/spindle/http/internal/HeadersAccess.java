package dev.spindle.http.internal;

import dev.spindle.http.Headers;

/**
 * The codec's door into {@link Headers}: wraps arrays the parser filled (and validated) as a read-only
 * {@code Headers} without copying them. {@code Headers} installs the factory when it is initialised.
 */
public final class HeadersAccess {
    /** Makes read-only headers over the first {@code size} entries of the arrays. */
    @FunctionalInterface
    public interface Factory {
        Headers wrap(String[] names, String[] values, int size);
    }

    private static volatile Factory factory;

    private HeadersAccess() {}

    /** Called once, by {@code Headers}'s static initialiser. */
    public static void install(Factory f) {
        factory = f;
    }

    /** Read-only headers over {@code names[0, size)} and {@code values[0, size)}, which the caller gives up. */
    public static Headers wrap(String[] names, String[] values, int size) {
        Factory f = factory;
        if (f == null) {
            new Headers(); // runs Headers' static initialiser, which installs the factory
            f = factory;
        }
        return f.wrap(names, values, size);
    }
}
