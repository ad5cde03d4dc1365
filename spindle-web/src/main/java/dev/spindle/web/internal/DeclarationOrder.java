package dev.spindle.web.internal;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Methods in the order they are written in the source. Reflection promises no order, but routes match in
 * declaration order ({@code /users/me} before {@code /users/{id}}), so the class file is read (javac keeps the
 * source order there).
 *
 * <p>The class file is the one {@link Annotations} reads for the annotations, once per class, walked by hand by
 * {@link ClassFileReader} (the JDK's class-file API cost a few dozen classes and some 15 ms of an app's start-up to
 * parse the same). A class file that cannot be read falls back to reflection's order, sorted by name.
 */
final class DeclarationOrder {
    private DeclarationOrder() {}

    static List<Method> of(Class<?> type, List<Method> methods) {
        Map<String, Integer> order = new HashMap<>();
        List<String> keys = Annotations.methodKeys(type);
        for (int i = 0; i < keys.size(); i++) {
            order.putIfAbsent(keys.get(i), i);
        }
        List<Method> sorted = new ArrayList<>(methods);
        sorted.sort((a, b) -> {
            int c = Integer.compare(
                    order.getOrDefault(Annotations.key(a), Integer.MAX_VALUE),
                    order.getOrDefault(Annotations.key(b), Integer.MAX_VALUE));
            return c != 0 ? c : a.getName().compareTo(b.getName());
        });
        return sorted;
    }

    /** {@code name + descriptor} of each method of a class file, in the file's order. */
    static List<String> methodKeys(byte[] classFile) {
        return ClassFileReader.read(classFile).methodKeys();
    }
}
