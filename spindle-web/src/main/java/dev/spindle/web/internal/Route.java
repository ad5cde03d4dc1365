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

    Route(
            RouteDef def,
            PathPattern pattern,
            ParamSpec[] dependencies,
            Invocable invocable,
            AnnotatedType model,
            String operationId) {
        this.def = def;
        this.methods = def.methods();
        this.pattern = pattern;
        this.dependencies = dependencies;
        this.invocable = invocable;
        this.endpoint = def.endpoint();
        this.model = model;
        this.operationId = operationId;
    }

    Response handle(Exchange ex) throws Throwable {
        Object result;
        try {
            if (endpoint != null) {
                if (dependencies.length > 0) {
                    resolveDependencies(ex);
                }
                result = endpoint.handle(ex);
            } else {
                Errors errors = new Errors();
                for (ParamSpec d : dependencies) {
                    d.resolve(ex, errors, List.of());
                }
                Object[] args = invocable.resolve(ex, errors, List.of());
                if (!errors.isEmpty()) {
                    throw new RequestValidationError(errors.list());
                }
                result = invocable.invoke(args);
            }
        } catch (Throwable t) {
            throw ex.core().teardown(ex, t);
        }
        return toResponse(result, ex);
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
