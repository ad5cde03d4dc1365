package dev.spindle.web.internal;

import dev.spindle.web.App;
import dev.spindle.web.Endpoint;
import dev.spindle.web.ExceptionHandler;
import dev.spindle.web.OnWorker;
import dev.spindle.web.middleware.Middleware;
import dev.spindle.web.responses.Response;
import java.lang.reflect.AnnotatedType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Compiles an app's declarations into an {@link AppCore}, once, at startup. */
public final class AppBuilder {
    private AppBuilder() {}

    public static AppCore build(
            App app,
            List<Object> flat,
            List<Middleware> middleware,
            Map<Class<?>, ExceptionHandler<Throwable>> typeHandlers,
            Map<Integer, ExceptionHandler<Throwable>> statusHandlers,
            Map<Class<?>, Object> overrides,
            Map<Class<?>, Object> provided,
            boolean redirectSlashes,
            WorkerPool workers,
            SlowHandlers slowHandlers) {
        Compiler compiler = new Compiler(provided);
        List<Object> entries = new ArrayList<>();
        Set<String> operationIds = new HashSet<>();
        for (Object o : flat) {
            if (o instanceof MountDef m) {
                entries.add(
                        new AppCore.Mount(new PathPattern(m.path().isEmpty() ? "/" : m.path()), m.path(), m.target()));
                continue;
            }
            RouteDef d = (RouteDef) o;
            PathPattern pattern = new PathPattern(d.path());
            ParamSpec[] deps = new ParamSpec[d.dependencies().size()];
            for (int i = 0; i < deps.length; i++) {
                deps[i] = compiler.dependencyParam(d.dependencies().get(i), d.path());
            }
            Invocable inv = null;
            AnnotatedType model = null;
            String baseName;
            if (d.method() != null) {
                inv = compiler.handler(d.receiver(), d.method(), pattern.names());
                if (d.responseModel() != Void.class) {
                    model = Types.of(d.responseModel());
                } else {
                    Class<?> rt = d.method().getReturnType();
                    if (rt != void.class && rt != Object.class && !Response.class.isAssignableFrom(rt)) {
                        model = Annotations.returnType(d.method());
                    }
                }
                baseName = d.method().getName();
            } else {
                baseName = "endpoint";
                if (d.responseModel() != Void.class) {
                    model = Types.of(d.responseModel());
                }
            }
            String method = d.methods().stream()
                    .filter(x -> !x.equals("HEAD") || d.methods().size() == 1)
                    .sorted()
                    .findFirst()
                    .orElse("GET");
            String opId = d.operationId().isEmpty()
                    ? nonWordToUnderscore(baseName + d.path()) + "_" + method.toLowerCase(java.util.Locale.ROOT)
                    : d.operationId();
            String unique = opId;
            for (int k = 2; !operationIds.add(unique); k++) {
                unique = opId + "_" + k;
            }
            boolean onWorker = d.method() != null
                    ? Annotations.present(d.method(), OnWorker.class)
                    : d.endpoint() instanceof WorkerEndpoint;
            if (onWorker && d.websocket()) {
                throw new IllegalArgumentException(d.method() + ": a WebSocket route cannot be @OnWorker");
            }
            if (slowHandlers != null && !onWorker) {
                if (d.method() != null) {
                    slowHandlers.watch(d.method(), method, d.path());
                } else if (d.endpoint() != null) {
                    slowHandlers.watch(d.endpoint(), method, d.path());
                }
            }
            entries.add(new Route(d, pattern, deps, inv, model, unique, onWorker));
        }
        return new AppCore(
                app, entries, middleware, typeHandlers, statusHandlers, overrides, compiler, redirectSlashes, workers);
    }

    /** A route definition for an endpoint the framework adds (docs, OpenAPI), outside the schema. */
    public static RouteDef internalRoute(String path, Endpoint endpoint) {
        return new RouteDef(
                Set.of("GET", "HEAD"),
                path,
                null,
                null,
                endpoint,
                0,
                Void.class,
                List.of(),
                "",
                "",
                "Successful Response",
                "",
                false,
                false,
                List.of(),
                false);
    }

    /** {@code s.replaceAll("\\W", "_")} without compiling a regex at startup (FastAPI's operationId rule). */
    private static String nonWordToUnderscore(String s) {
        char[] out = s.toCharArray();
        for (int i = 0; i < out.length; i++) {
            char c = out[i];
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')) {
                out[i] = '_';
            }
        }
        return new String(out);
    }
}
