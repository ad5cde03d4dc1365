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
        boolean websocket,
        List<ExtraResponse> responses) {

    /** A route without extra responses. */
    public RouteDef(
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
        this(
                methods,
                path,
                receiver,
                method,
                endpoint,
                status,
                responseModel,
                tags,
                summary,
                description,
                responseDescription,
                operationId,
                deprecated,
                includeInSchema,
                dependencies,
                websocket,
                responsesOf(method));
    }

    private static List<ExtraResponse> responsesOf(Method m) {
        if (m == null) {
            return List.of();
        }
        // the method's annotations (read once for its route), not getAnnotationsByType: that one looks up the
        // container through @Repeatable and @Target, two more annotation proxy classes spun at startup
        List<ExtraResponse> out = new java.util.ArrayList<>();
        for (java.lang.annotation.Annotation a : Annotations.of(m)) {
            if (a instanceof dev.spindle.web.ApiResponse r) {
                out.add(new ExtraResponse(r.status(), r.description(), r.model()));
            } else if (a instanceof dev.spindle.web.ApiResponses rs) {
                for (dev.spindle.web.ApiResponse r : rs.value()) {
                    out.add(new ExtraResponse(r.status(), r.description(), r.model()));
                }
            }
        }
        return List.copyOf(out);
    }

    /** This route under a router's prefix, tags, dependencies and extra responses (the route's own win). */
    public RouteDef under(
            String prefix, List<String> moreTags, List<Class<?>> moreDeps, List<ExtraResponse> moreResponses) {
        List<ExtraResponse> r = new java.util.ArrayList<>();
        for (ExtraResponse x : moreResponses) {
            if (responses.stream().noneMatch(y -> y.status() == x.status())) {
                r.add(x);
            }
        }
        r.addAll(responses);
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
                websocket,
                List.copyOf(r));
    }
}
