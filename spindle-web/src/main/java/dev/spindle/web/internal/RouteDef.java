package dev.spindle.web.internal;

import dev.spindle.web.Endpoint;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Set;

/**
 * A route as declared, before the app compiles it: the methods and path, and either an annotated Java method (with
 * its receiver) or an {@link Endpoint}; the options of its annotation.
 */
public record RouteDef(
        Set<String> methods,
        String path,
        Object receiver,
        Method method,
        Endpoint endpoint,
        int status,
        Class<?> responseModel,
        List<String> tags,
        String summary,
        String description,
        String responseDescription,
        String operationId,
        boolean deprecated,
        boolean includeInSchema,
        List<Class<?>> dependencies,
        boolean websocket) {

    /** This route under a router's prefix, tags and dependencies. */
    public RouteDef under(String prefix, List<String> moreTags, List<Class<?>> moreDeps) {
        List<String> t = new java.util.ArrayList<>(moreTags);
        for (String x : tags) {
            if (!t.contains(x)) {
                t.add(x);
            }
        }
        List<Class<?>> d = new java.util.ArrayList<>(moreDeps);
        d.addAll(dependencies);
        return new RouteDef(
                methods,
                prefix + path,
                receiver,
                method,
                endpoint,
                status,
                responseModel,
                List.copyOf(t),
                summary,
                description,
                responseDescription,
                operationId,
                deprecated,
                includeInSchema,
                List.copyOf(d),
                websocket);
    }
}
