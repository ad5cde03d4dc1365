package dev.spindle.web.internal;

import dev.spindle.web.Endpoint;
import dev.spindle.web.RequestValidationError;
import dev.spindle.web.responses.Response;
import java.lang.reflect.AnnotatedType;
import java.util.List;
import java.util.Set;

/**
 * A route compiled at startup: its methods, path pattern, the route- and router-level dependencies, the handler
 * ({@link Invocable} or {@link Endpoint}), its status and response model. {@link #handle} runs one request through
 * it and returns the response to send.
 */
public final class Route {
    public final RouteDef def;
    public final Set<String> methods;
    public final PathPattern pattern;
    public final ParamSpec[] dependencies;
    public final Invocable invocable;
    public final Endpoint endpoint;
    /** The response model's type (the handler's return type, or the annotation's), or {@code null}. */
    public final AnnotatedType model;

    public final String operationId;
    /** Whether the handler runs on the app's worker pool ({@link dev.spindle.web.OnWorker}). */
    public final boolean onWorker;
    /**
     * Whether the route's handler and dependency tree together have more than one body parameter (FastAPI's
     * flattening): each is then read from the body object under its own name, as one embedded object.
     */
    public final boolean embedBodies;

    Route(
            RouteDef def,
            PathPattern pattern,
            ParamSpec[] dependencies,
            Invocable invocable,
            AnnotatedType model,
            String operationId,
            boolean onWorker) {
        this.def = def;
        this.methods = def.methods();
        this.pattern = pattern;
        this.dependencies = dependencies;
        this.invocable = invocable;
        this.endpoint = def.endpoint();
        this.model = model;
        this.operationId = operationId;
        this.onWorker = onWorker;
        this.embedBodies = countBodies(dependencies, invocable) > 1;
    }

    /** Body parameters over the route's dependencies and handler, each dependency counted once (it runs once). */
    static int countBodies(ParamSpec[] dependencies, Invocable invocable) {
        java.util.Set<DependencyNode> seen = new java.util.HashSet<>();
        int n = 0;
        for (ParamSpec p : dependencies) {
            n += countBodies(p, seen);
        }
        if (invocable != null) {
            for (ParamSpec p : invocable.params) {
                n += countBodies(p, seen);
            }
        }
        return n;
    }

    private static int countBodies(ParamSpec p, java.util.Set<DependencyNode> seen) {
        if (p.kind == ParamSpec.Kind.BODY) {
            return 1;
        }
        if (p.kind != ParamSpec.Kind.DEPENDS || p.dependency == null || !seen.add(p.dependency)) {
            return 0;
        }
        int n = 0;
        for (ParamSpec q : p.dependency.invocable.params) {
            n += countBodies(q, seen);
        }
        return n;
    }

    Response handle(Exchange ex) throws Throwable {
        ex.embedBodies = embedBodies;
        if (def.websocket()) {
            return handleWebSocket(ex);
        }
        Object result;
        try {
            if (endpoint != null) {
                if (dependencies.length > 0) {
                    resolveDependencies(ex);
                }
                result = callEndpoint(ex);
            } else {
                Errors errors = new Errors();
                for (ParamSpec d : dependencies) {
                    d.resolve(ex, errors, List.of());
                }
                Object[] args = invocable.resolve(ex, errors, List.of());
                if (!errors.isEmpty()) {
                    throw new RequestValidationError(errors.list());
                }
                result = call(ex, args);
            }
        } catch (Throwable t) {
            throw ex.core().teardown(ex, t);
        }
        return toResponse(result, ex);
    }

    /**
     * A WebSocket route: parameters first (a failure is answered over HTTP, 403 for validation errors), then the
     * handshake (a refusal propagates to the app's exception handlers, which answer it as an HTTP error), then the
     * handler; the WebSocket is closed when it returns (1011 if it threw). Returns {@code null}: the connection has
     * been answered.
     */
    private Response handleWebSocket(Exchange ex) throws Throwable {
        Object[] args;
        try {
            Errors errors = new Errors();
            for (ParamSpec d : dependencies) {
                d.resolve(ex, errors, List.of());
            }
            args = invocable.resolve(ex, errors, List.of());
            if (!errors.isEmpty()) {
                throw new RequestValidationError(errors.list());
            }
        } catch (RequestValidationError e) {
            Throwable t = ex.core().teardown(ex, e);
            if (t != e) {
                throw t;
            }
            return Response.bytes(
                            JsonOut.write(java.util.Map.of("detail", AppCore.errorList(e.errors())), null),
                            "application/json")
                    .status(403);
        } catch (Throwable t) {
            // a refused handshake (WebSocketRejected, an HttpError) goes on to the app's exception handling too
            throw ex.core().teardown(ex, t);
        }
        dev.spindle.http.websocket.WebSocket ws = ex.websocket;
        try {
            invocable.invoke(args);
            if (ws != null && ws.isOpen()) {
                ws.close();
            }
        } catch (dev.spindle.task.Cancelled c) {
            throw c;
        } catch (Throwable t) {
            Throwable after = ex.core().teardown(ex, t);
            if (ws != null && ws.isOpen()) {
                ws.close(1011, "internal error");
            }
            if (!(after instanceof dev.spindle.http.websocket.WebSocketClosed)) {
                System.getLogger("dev.spindle.web").log(System.Logger.Level.ERROR, "WebSocket handler failed", after);
            }
        }
        return null;
    }

    /**
     * The handler's call, on the worker pool or in place. {@link SlowHandlers} reads stacks by this method's name and
     * {@link #callEndpoint}'s: the handler's frame is the first after them.
     */
    private Object call(Exchange ex, Object[] args) throws Throwable {
        AppCore core = ex.core();
        if (onWorker) {
            return core.workers().run(() -> invocable.invoke(args));
        }
        return invocable.invoke(args); // a slow one is found by SlowHandlers' watchdog, from its frame
    }

    private Object callEndpoint(Exchange ex) throws Throwable {
        AppCore core = ex.core();
        if (onWorker) {
            ex.body(); // read in the coroutine: the worker thread does no I/O on the connection
            return core.workers().run(() -> endpoint.handle(ex));
        }
        return endpoint.handle(ex); // the lambda's frame comes next: SlowHandlers' watchdog finds it there
    }

    private void resolveDependencies(Exchange ex) throws Throwable {
        Errors errors = new Errors();
        for (ParamSpec d : dependencies) {
            d.resolve(ex, errors, List.of());
        }
        if (!errors.isEmpty()) {
            throw new RequestValidationError(errors.list());
        }
    }

    private Response toResponse(Object result, Exchange ex) {
        Response temporal = ex.temporal;
        if (result instanceof Response r) {
            if (temporal != null) {
                r.mergeFrom(temporal);
            }
            if (r.status() == 0 && def.status() != 0) {
                r.status(def.status());
            }
            return r;
        }
        int status =
                temporal != null && temporal.status() != 0 ? temporal.status() : def.status() != 0 ? def.status() : 200;
        Response r;
        if (status == 204 || status == 304 || status < 200) {
            r = new Response().status(status);
        } else {
            r = Response.bytes(JsonOut.write(result, model), "application/json").status(status);
        }
        if (temporal != null) {
            r.mergeFrom(temporal);
        }
        return r;
    }

    @Override
    public String toString() {
        return methods + " " + pattern;
    }
}
