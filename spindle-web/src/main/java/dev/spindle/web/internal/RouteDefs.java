package dev.spindle.web.internal;

import java.lang.reflect.Method;
import java.util.List;

/** Helpers the public {@code Router} needs from the internals. */
public final class RouteDefs {
    private RouteDefs() {}

    /** {@code methods} of {@code type} in source order. */
    public static List<Method> declarationOrder(Class<?> type, List<Method> methods) {
        return DeclarationOrder.of(type, methods);
    }
}
