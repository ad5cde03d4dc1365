package dev.spindle.web;

import dev.spindle.web.internal.MountDef;
import dev.spindle.web.internal.RouteDef;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A group of routes with a shared path prefix, OpenAPI tags and dependencies (FastAPI's {@code APIRouter}); routers
 * nest, and an {@link App} is the outermost router.
 *
 * {@snippet :
 * Router items = new Router("/items").tags("items").dependencies(VerifyToken.class);
 * items.include(new ItemRoutes());            // its @Get/@Post... methods
 * items.get("/count", request -> store.size()); // or a lambda
 * app.include(items);
 * }
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li><b>Order.</b> Routes match in the order they were added; an included object's methods in the order they are
 *       written in its class; an included router's routes where it was included.
 *   <li><b>When.</b> Routes are declared before the app starts serving; the app analyses every handler once, at
 *       startup (a mistake in a declaration fails the start, naming the method). Not thread-safe while declaring.
 * </ul>
 */
public class Router {
    private final String prefix;
    private final List<String> tags = new ArrayList<>();
    private final List<Class<?>> dependencies = new ArrayList<>();
    private final List<dev.spindle.web.internal.ExtraResponse> responses = new ArrayList<>();
    /** {@link RouteDef}s, {@link MountDef}s and included routers, in order. */
    final List<Object> entries = new ArrayList<>();

    /** A router without a prefix. */
    public Router() {
        this("");
    }

    /**
     * A router whose routes' paths start with {@code prefix} ({@code "/items"}; no trailing slash).
     *
     * @throws IllegalArgumentException for a prefix not starting with '/' or ending with one
     */
    public Router(String prefix) {
        Objects.requireNonNull(prefix, "prefix");
        if (!prefix.isEmpty() && (!prefix.startsWith("/") || prefix.endsWith("/"))) {
            throw new IllegalArgumentException(
                    "a prefix starts with '/' and does not end with one: \"" + prefix + "\"");
        }
        this.prefix = prefix;
    }

    /** The path prefix. */
    public String prefix() {
        return prefix;
    }

    /** Adds OpenAPI tags to every route of this router. */
    public Router tags(String... tags) {
        this.tags.addAll(List.of(tags));
        return this;
    }

    /** Dependencies run for every route of this router (for their effect: checks, raising HTTPException). */
    public Router dependencies(Class<?>... dependencies) {
        this.dependencies.addAll(List.of(dependencies));
        return this;
    }

    /**
     * Documents an extra response of every route of this router in OpenAPI (FastAPI's router {@code responses}):
     * {@code status}, its description ({@code ""}: the reason phrase) and the record of its JSON body ({@code
     * Void.class}: none). A route's own {@link ApiResponse} for the same status wins. Documentation only.
     */
    public Router responses(int status, String description, Class<?> model) {
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(model, "model");
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("not an HTTP status: " + status);
        }
        responses.add(new dev.spindle.web.internal.ExtraResponse(status, description, model));
        return this;
    }

    /**
     * Adds the routes declared on {@code routes}' methods ({@link Get}, {@link Post}...), instance or static, public
     * or not.
     *
     * @throws IllegalArgumentException if the object declares no route
     */
    public Router include(Object routes) {
        Objects.requireNonNull(routes, "routes");
        if (routes instanceof Router r) {
            if (r == this) {
                throw new IllegalArgumentException("a router cannot include itself");
            }
            entries.add(r);
            return this;
        }
        Class<?> type = routes instanceof Class<?> c ? c : routes.getClass();
        Object receiver = routes instanceof Class<?> ? null : routes;
        List<Method> methods = new ArrayList<>();
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Method m : c.getDeclaredMethods()) {
                if (routeAnnotation(m) != null) {
                    methods.add(m);
                }
            }
        }
        if (methods.isEmpty()) {
            throw new IllegalArgumentException(type.getName() + " declares no route (@Get, @Post, ... methods)");
        }
        for (Method m : dev.spindle.web.internal.RouteDefs.declarationOrder(type, methods)) {
            if (receiver == null && !Modifier.isStatic(m.getModifiers())) {
                throw new IllegalArgumentException("route " + m + " is an instance method: include an instance");
            }
            entries.add(fromAnnotation(receiver, m, routeAnnotation(m)));
        }
        return this;
    }

    /** Adds a GET route (HEAD answered too) served by {@code endpoint}. */
    public Router get(String path, Endpoint endpoint) {
        return route(Set.of("GET"), path, endpoint);
    }

    public Router post(String path, Endpoint endpoint) {
        return route(Set.of("POST"), path, endpoint);
    }

    public Router put(String path, Endpoint endpoint) {
        return route(Set.of("PUT"), path, endpoint);
    }

    public Router delete(String path, Endpoint endpoint) {
        return route(Set.of("DELETE"), path, endpoint);
    }

    public Router patch(String path, Endpoint endpoint) {
        return route(Set.of("PATCH"), path, endpoint);
    }

    /** Adds a route for {@code methods} served by {@code endpoint}. */
    public Router route(Set<String> methods, String path, Endpoint endpoint) {
        Objects.requireNonNull(endpoint, "endpoint");
        entries.add(new RouteDef(
                normalize(methods),
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
                true,
                List.of(),
                false));
        return this;
    }

    /**
     * Mounts {@code app} at {@code path}: requests under it go to that app (with its own routes, middleware and
     * exception handlers), with {@link Request#path()} relative to the mount point and {@link Request#rootPath()}
     * set.
     */
    public Router mount(String path, App app) {
        entries.add(new MountDef(checkMount(path), Objects.requireNonNull(app, "app"), ""));
        return this;
    }

    /**
     * Mounts an endpoint for everything under {@code path} ({@link dev.spindle.web.staticfiles.StaticFiles}, say),
     * which sees the path relative to the mount point.
     */
    public Router mount(String path, Endpoint endpoint) {
        entries.add(new MountDef(checkMount(path), Objects.requireNonNull(endpoint, "endpoint"), ""));
        return this;
    }

    private static String checkMount(String path) {
        if (!path.startsWith("/") || path.length() > 1 && path.endsWith("/") || path.contains("{")) {
            throw new IllegalArgumentException(
                    "a mount path starts with '/', does not end with one and has no" + " parameters: \"" + path + "\"");
        }
        return path.equals("/") ? "" : path;
    }

    /** Every route and mount of this router and its included routers, flattened under its prefix. */
    List<Object> flatten() {
        List<Object> out = new ArrayList<>();
        for (Object e : entries) {
            // instanceof, not a type switch, here and in fromAnnotation: a type switch spins a class at startup
            if (e instanceof RouteDef r) {
                out.add(r.under(prefix, tags, dependencies, responses));
            } else if (e instanceof MountDef m) {
                out.add(m.under(prefix));
            } else if (e instanceof Router r) {
                for (Object inner : r.flatten()) {
                    out.add(
                            inner instanceof RouteDef rd
                                    ? rd.under(prefix, tags, dependencies, responses)
                                    : ((MountDef) inner).under(prefix));
                }
            } else {
                throw new AssertionError(e);
            }
        }
        return out;
    }

    private static Set<String> normalize(Set<String> methods) {
        Set<String> out = new LinkedHashSet<>();
        for (String m : methods) {
            out.add(m.toUpperCase(java.util.Locale.ROOT));
        }
        if (out.contains("GET")) {
            out.add("HEAD");
        }
        return Set.copyOf(out);
    }

    private static Annotation routeAnnotation(Method m) {
        // read from the class file, not by reflection (which makes a proxy class per annotation type)
        for (Annotation a : dev.spindle.web.internal.Annotations.of(m)) {
            if (a instanceof Get
                    || a instanceof Post
                    || a instanceof Put
                    || a instanceof Delete
                    || a instanceof Patch
                    || a instanceof Head
                    || a instanceof Options
                    || a instanceof WebSocketRoute) {
                return a;
            }
        }
        return null;
    }

    private static RouteDef fromAnnotation(Object receiver, Method m, Annotation a) {
        if (a instanceof Get g) {
            return def(
                    receiver,
                    m,
                    "GET",
                    g.value(),
                    g.status(),
                    g.responseModel(),
                    g.tags(),
                    g.summary(),
                    g.description(),
                    g.responseDescription(),
                    g.operationId(),
                    g.deprecated(),
                    g.includeInSchema());
        } else if (a instanceof Post g) {
            return def(
                    receiver,
                    m,
                    "POST",
                    g.value(),
                    g.status(),
                    g.responseModel(),
                    g.tags(),
                    g.summary(),
                    g.description(),
                    g.responseDescription(),
                    g.operationId(),
                    g.deprecated(),
                    g.includeInSchema());
        } else if (a instanceof Put g) {
            return def(
                    receiver,
                    m,
                    "PUT",
                    g.value(),
                    g.status(),
                    g.responseModel(),
                    g.tags(),
                    g.summary(),
                    g.description(),
                    g.responseDescription(),
                    g.operationId(),
                    g.deprecated(),
                    g.includeInSchema());
        } else if (a instanceof Delete g) {
            return def(
                    receiver,
                    m,
                    "DELETE",
                    g.value(),
                    g.status(),
                    g.responseModel(),
                    g.tags(),
                    g.summary(),
                    g.description(),
                    g.responseDescription(),
                    g.operationId(),
                    g.deprecated(),
                    g.includeInSchema());
        } else if (a instanceof Patch g) {
            return def(
                    receiver,
                    m,
                    "PATCH",
                    g.value(),
                    g.status(),
                    g.responseModel(),
                    g.tags(),
                    g.summary(),
                    g.description(),
                    g.responseDescription(),
                    g.operationId(),
                    g.deprecated(),
                    g.includeInSchema());
        } else if (a instanceof Head g) {
            return def(
                    receiver,
                    m,
                    "HEAD",
                    g.value(),
                    g.status(),
                    g.responseModel(),
                    g.tags(),
                    g.summary(),
                    g.description(),
                    g.responseDescription(),
                    g.operationId(),
                    g.deprecated(),
                    g.includeInSchema());
        } else if (a instanceof Options g) {
            return def(
                    receiver,
                    m,
                    "OPTIONS",
                    g.value(),
                    g.status(),
                    g.responseModel(),
                    g.tags(),
                    g.summary(),
                    g.description(),
                    g.responseDescription(),
                    g.operationId(),
                    g.deprecated(),
                    g.includeInSchema());
        } else if (a instanceof WebSocketRoute w) {
            return new RouteDef(
                    Set.of("GET"),
                    w.value(),
                    receiver,
                    m,
                    null,
                    0,
                    Void.class,
                    List.of(),
                    "",
                    "",
                    "",
                    "",
                    false,
                    false,
                    List.of(),
                    true);
        }
        throw new AssertionError(a);
    }

    private static RouteDef def(
            Object receiver,
            Method m,
            String method,
            String path,
            int status,
            Class<?> model,
            String[] tags,
            String summary,
            String description,
            String responseDescription,
            String operationId,
            boolean deprecated,
            boolean include) {
        return new RouteDef(
                normalize(Set.of(method)),
                path,
                receiver,
                m,
                null,
                status,
                model,
                Arrays.asList(tags),
                summary,
                description,
                responseDescription,
                operationId,
                deprecated,
                include,
                List.of(),
                false);
    }
}
