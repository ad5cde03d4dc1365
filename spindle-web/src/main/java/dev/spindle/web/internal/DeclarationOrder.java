package dev.spindle.web.internal;

import java.io.IOException;
import java.io.InputStream;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.MethodModel;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Methods in the order they are written in the source. Reflection promises no order, but routes match in
 * declaration order ({@code /users/me} before {@code /users/{id}}), so the class file is read once (javac keeps the
 * source order there) with the JDK's class-file API.
 */
final class DeclarationOrder {
    private DeclarationOrder() {}

    static List<Method> of(Class<?> type, List<Method> methods) {
        Map<String, Integer> order = new HashMap<>();
        String resource = type.getName().substring(type.getName().lastIndexOf('.') + 1) + ".class";
        try (InputStream in = type.getResourceAsStream(resource)) {
            if (in != null) {
                ClassModel model = ClassFile.of().parse(in.readAllBytes());
                int i = 0;
                for (MethodModel m : model.methods()) {
                    order.putIfAbsent(
                            m.methodName().stringValue() + m.methodType().stringValue(), i++);
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            // fall back to the order reflection gives, sorted by name for stability
        }
        List<Method> sorted = new ArrayList<>(methods);
        sorted.sort(Comparator.comparingInt((Method m) -> order.getOrDefault(key(m), Integer.MAX_VALUE))
                .thenComparing(Method::getName));
        return sorted;
    }

    private static String key(Method m) {
        StringBuilder b = new StringBuilder(m.getName()).append('(');
        Arrays.stream(m.getParameterTypes()).forEach(t -> b.append(t.descriptorString()));
        return b.append(')').append(m.getReturnType().descriptorString()).toString();
    }
}
