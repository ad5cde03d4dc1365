package dev.spindle.web.internal;

import java.lang.invoke.MethodHandle;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * A handler or provider method (or a dependency's constructor) ready to call: one method handle taking its
 * arguments as an array, and its parameters resolved in FastAPI's order (dependencies, path, query, header, cookie,
 * body) into their declared positions.
 */
public final class Invocable {
    public final String where;
    public final ParamSpec[] params;
    private final MethodHandle handle;
    private final int[] order;

    Invocable(String where, MethodHandle handle, ParamSpec[] params) {
        this.where = where;
        this.handle = handle;
        this.params = params;
        Integer[] idx = new Integer[params.length];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        Arrays.sort(idx, Comparator.comparingInt(i -> params[i].kind.ordinal()));
        this.order = Arrays.stream(idx).mapToInt(Integer::intValue).toArray();
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
        return handle.invokeExact(args);
    }

    @Override
    public String toString() {
        return where;
    }
}
