package dev.spindle.web.internal;

import java.lang.invoke.MethodHandle;
import java.util.List;

/**
 * A handler or provider method (or a dependency's constructor) ready to call: one method handle taking its
 * arguments as an array, and its parameters resolved in FastAPI's order (dependencies, path, query, header, cookie,
 * body) into their declared positions.
 *
 * <p>The handle is made on the first call, not at startup: adapting a method handle to take an array spins classes
 * (a few milliseconds per route before the JIT), and an app pays that only for the routes it serves. Access was
 * checked at startup (the {@link Maker} holds a lookup that can reach the method), so making it cannot fail for a
 * reason the app could have been told about earlier. Two first calls at once may both make it; either result is
 * the same handle, and the field is volatile, so a caller never sees a half-made one.
 */
public final class Invocable {
    /** Makes the handle: {@code (Object[]) Object}. */
    @FunctionalInterface
    interface Maker {
        MethodHandle make() throws ReflectiveOperationException;
    }

    public final String where;
    public final ParamSpec[] params;
    private final Maker maker;
    private volatile MethodHandle handle;
    private final int[] order;

    Invocable(String where, Maker maker, ParamSpec[] params) {
        this.where = where;
        this.maker = maker;
        this.params = params;
        // stable order by kind (dependencies first), without a stream or comparator on the startup path
        int[] order = new int[params.length];
        int n = 0;
        for (ParamSpec.Kind kind : ParamSpec.Kind.values()) {
            for (int i = 0; i < params.length; i++) {
                if (params[i].kind == kind) {
                    order[n++] = i;
                }
            }
        }
        this.order = order;
    }

    Invocable(String where, MethodHandle handle, ParamSpec[] params) {
        this(where, () -> handle, params);
        this.handle = handle;
    }

    /** The arguments for this request; the caller checks {@code errors} for what failed. */
    Object[] resolve(Exchange ex, Errors errors, List<String> scopes) throws Throwable {
        Object[] args = new Object[params.length];
        for (int i : order) {
            args[i] = params[i].resolve(ex, errors, scopes);
        }
        return args;
    }

    Object invoke(Object[] args) throws Throwable {
        MethodHandle h = handle;
        if (h == null) {
            h = make();
        }
        return h.invokeExact(args);
    }

    private MethodHandle make() {
        try {
            MethodHandle h = maker.make();
            handle = h;
            return h;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot call " + where + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return where;
    }
}
