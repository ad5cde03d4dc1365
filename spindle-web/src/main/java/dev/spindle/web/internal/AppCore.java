package dev.spindle.web.internal;

import dev.spindle.http.HttpError;
import dev.spindle.task.Cancelled;
import dev.spindle.web.App;
import dev.spindle.web.Endpoint;
import dev.spindle.web.ErrorDetail;
import dev.spindle.web.ExceptionHandler;
import dev.spindle.web.HTTPException;
import dev.spindle.web.Request;
import dev.spindle.web.RequestValidationError;
import dev.spindle.web.depends.Yield;
import dev.spindle.web.middleware.Middleware;
import dev.spindle.web.params.UploadFile;
import dev.spindle.web.responses.Response;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An app compiled for serving (built once, at startup, by {@link App}): the route table in declaration order, the
 * middleware chain, the exception handlers, the dependency overrides. {@link #handle} serves one spindle-http request:
 * route, resolve, call, answer errors, write, then teardowns and background tasks.
 *
 * <h2>Layers, outermost first (as Starlette stacks them)</h2>
 * <ol>
 *   <li>server errors: anything unexpected becomes 500 (or the handler for {@code Exception}/500);
 *   <li>the user's middleware, last added outermost;
 *   <li>exception handlers: {@link HTTPException}, {@link RequestValidationError} and registered types become
 *       responses;
 *   <li>the router: match, then the route's dependencies and handler.
 * </ol>
 */
public final class AppCore {
    /** Made on first use: the first {@link System#getLogger} looks the logging backend up (10-20 ms cold). */
    private static final class Log {
        static final System.Logger LOG = System.getLogger("dev.spindle.web");
    }

    /** A mounted sub-app or endpoint. */
    record Mount(PathPattern prefix, String path, Object target) {}

    public final App app;
    public final List<Object> entries; // Route | Mount
    private final Middleware.CallNext chain;
    private final Map<Class<?>, ExceptionHandler<Throwable>> typeHandlers;
    private final Map<Integer, ExceptionHandler<Throwable>> statusHandlers;
    private final Map<Class<?>, Object> overrides;
    private final Compiler compiler;
    private final Map<Object, DependencyNode> overrideNodes = new ConcurrentHashMap<>();
    private final boolean redirectSlashes;
    private final WorkerPool workers;

    public AppCore(
            App app,
            List<Object> entries,
            List<Middleware> middleware,
            Map<Class<?>, ExceptionHandler<Throwable>> typeHandlers,
            Map<Integer, ExceptionHandler<Throwable>> statusHandlers,
            Map<Class<?>, Object> overrides,
            Compiler compiler,
            boolean redirectSlashes,
            WorkerPool workers) {
        this.app = app;
        this.entries = List.copyOf(entries);
        this.typeHandlers = Map.copyOf(typeHandlers);
        this.statusHandlers = Map.copyOf(statusHandlers);
        this.overrides = overrides;
        this.compiler = compiler;
        this.redirectSlashes = redirectSlashes;
        this.workers = workers;
        Middleware.CallNext next = request -> handleErrors(exchange(request));
        for (Middleware m : middleware) { // first added is innermost
            Middleware.CallNext inner = next;
            next = request -> m.dispatch(request, inner);
        }
        this.chain = next;
    }

    /** The pool of {@link dev.spindle.web.OnWorker} handlers. */
    WorkerPool workers() {
        return workers;
    }

    private static Exchange exchange(Request request) {
        if (request instanceof Exchange ex) {
            return ex;
        }
        throw new IllegalArgumentException("a middleware must pass on the Request it was given");
    }

    // ---- serving ----------------------------------------------------------------------------------------------

    /** Serves one request of the server (the top-level app). */
    public void handle(dev.spindle.http.Request req, dev.spindle.http.Response res) throws Exception {
        Exchange ex = new Exchange(app, this, req, res);
        Response response;
        try {
            // WebSocket openings skip the HTTP middleware (as Starlette's BaseHTTPMiddleware does)
            response = req.headers().containsToken("Upgrade", "websocket") ? handleErrors(ex) : respond(ex);
        } catch (Cancelled c) {
            finish(ex, c);
            throw c;
        } catch (Throwable t) {
            response = serverError(ex, t);
        }
        try {
            if (response == null) {
                finish(ex, null); // a WebSocket route answered the connection itself
                return;
            }
            ResponseWriter.write(response, ex);
        } catch (Throwable t) {
            finish(ex, t);
            throw t;
        }
        finish(ex, null);
        runBackground(ex);
    }

    /** The response for {@code ex} through the middleware chain (a mounted app is called here by its parent). */
    Response respond(Exchange ex) throws Exception {
        return chain.call(ex);
    }

    private Response handleErrors(Exchange ex) throws Exception {
        try {
            return dispatch(ex);
        } catch (Cancelled c) {
            throw c;
        } catch (Throwable thrown) {
            Throwable t = thrown;
            ExceptionHandler<Throwable> h = thrown instanceof HttpError he ? ownHandler(he) : null;
            if (h == null) {
                if (thrown instanceof HttpError he) {
                    t = asHttpException(he); // handlers for its status or for HTTPException answer it
                }
                h = find(t, false);
            }
            if (h != null) {
                return h.handle(ex, t);
            }
            Response r = defaultResponse(t);
            if (r != null) {
                return r;
            }
            throw t instanceof Exception e ? e : new RuntimeException(t);
        }
    }

    private Response serverError(Exchange ex, Throwable t) throws Exception {
        Log.LOG.log(System.Logger.Level.ERROR, "unhandled error in " + ex.method() + " " + ex.raw.path(), t);
        ExceptionHandler<Throwable> h = find(t, true);
        if (h != null) {
            try {
                return h.handle(ex, t);
            } catch (Cancelled c) {
                throw c;
            } catch (Throwable again) {
                Log.LOG.log(System.Logger.Level.ERROR, "the 500 handler failed too", again);
            }
        }
        return Response.text("Internal Server Error").status(500);
    }

    private ExceptionHandler<Throwable> find(Throwable t, boolean serverErrors) {
        if (!serverErrors && t instanceof HTTPException h) {
            ExceptionHandler<Throwable> eh = statusHandlers.get(h.status());
            if (eh != null) {
                return eh;
            }
        }
        for (Class<?> c = t.getClass(); c != null; c = c.getSuperclass()) {
            boolean generic = c == Exception.class || c == Throwable.class;
            if (generic != serverErrors) {
                continue;
            }
            ExceptionHandler<Throwable> eh = typeHandlers.get(c);
            if (eh != null) {
                return eh;
            }
        }
        return serverErrors ? statusHandlers.get(500) : null;
    }

    /**
     * The handler registered for {@code e}'s own type or a supertype up to {@link HttpError} (a
     * {@link dev.spindle.http.websocket.WebSocketRejected} handler, say), or {@code null}.
     */
    private ExceptionHandler<Throwable> ownHandler(HttpError e) {
        for (Class<?> c = e.getClass(); HttpError.class.isAssignableFrom(c); c = c.getSuperclass()) {
            ExceptionHandler<Throwable> eh = typeHandlers.get(c);
            if (eh != null) {
                return eh;
            }
        }
        return null;
    }

    /**
     * spindle-http's {@code HttpError} (a refused WebSocket handshake, a body past its cap) as the
     * {@link HTTPException} FastAPI would raise: its status, its message as the detail (the reason phrase if none),
     * its headers (repeated names joined with a comma).
     */
    static HTTPException asHttpException(HttpError e) {
        Map<String, String> headers = new LinkedHashMap<>();
        dev.spindle.http.Headers h = e.headers();
        for (int i = 0; i < h.size(); i++) {
            headers.merge(h.name(i), h.value(i), (a, b) -> a + ", " + b);
        }
        return new HTTPException(e.status(), e.getMessage(), headers);
    }

    /** The default answer to HTTPException, validation errors and spindle-http's HttpError; else {@code null}. */
    public static Response defaultResponse(Throwable t) {
        if (t instanceof HTTPException h) {
            return httpException(h);
        }
        if (t instanceof RequestValidationError v) {
            return Response.bytes(JsonOut.write(Map.of("detail", errorList(v.errors())), null), "application/json")
                    .status(422);
        }
        if (t instanceof HttpError h) {
            return httpException(asHttpException(h));
        }
        return null;
    }

    public static Response httpException(HTTPException h) {
        Response r = h.status() == 204 || h.status() == 304 || h.status() < 200
                ? new Response().status(h.status())
                : Response.json(Map.of("detail", h.detail())).status(h.status());
        h.headers().forEach(r::header);
        return r;
    }

    /** Errors as FastAPI writes them: type, loc, msg, input, and ctx when there is one. */
    public static List<Map<String, Object>> errorList(List<ErrorDetail> errors) {
        List<Map<String, Object>> out = new ArrayList<>(errors.size());
        for (ErrorDetail e : errors) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("type", e.type());
            m.put("loc", e.loc());
            m.put("msg", e.msg());
            m.put("input", e.input());
            if (e.ctx() != null) {
                m.put("ctx", e.ctx());
            }
            out.add(m);
        }
        return out;
    }

    private Response dispatch(Exchange ex) throws Throwable {
        String[] segs = ex.segments();
        String method = ex.method();
        TreeSet<String> allowed = null;
        for (Object e : entries) {
            if (e instanceof Route r) {
                String[] values = new String[r.pattern.names().size()];
                if (r.pattern.match(segs, values)) {
                    if (r.methods.contains(method)) {
                        ex.pathNames = r.pattern.names();
                        ex.pathValues = values;
                        return r.handle(ex);
                    }
                    if (allowed == null) {
                        allowed = new TreeSet<>();
                    }
                    allowed.addAll(r.methods);
                }
            } else {
                Mount m = (Mount) e;
                if (m.prefix.matchPrefix(segs) || (m.path.isEmpty())) {
                    return mount(m, ex);
                }
            }
        }
        if (allowed != null) {
            throw new HTTPException(405, "Method Not Allowed", Map.of("Allow", String.join(", ", allowed)));
        }
        if (redirectSlashes && !ex.path.equals("/")) {
            String other = ex.path.endsWith("/") ? ex.path.substring(0, ex.path.length() - 1) : ex.path + "/";
            if (matchesAny(other)) {
                String q = ex.rawQuery();
                return Response.redirect(ex.hostPart() + ex.rootPath + other + (q.isEmpty() ? "" : "?" + q), 307);
            }
        }
        throw new HTTPException(404, "Not Found");
    }

    private boolean matchesAny(String path) {
        String[] raw = PathPattern.split(path);
        String[] segs = new String[raw.length];
        for (int i = 0; i < raw.length; i++) {
            segs[i] = UrlCodec.decode(raw[i], false);
        }
        for (Object e : entries) {
            if (e instanceof Route r
                    && r.pattern.match(segs, new String[r.pattern.names().size()])) {
                return true;
            }
            if (e instanceof Mount m && !m.path.isEmpty() && m.prefix.matchPrefix(segs)) {
                return true;
            }
        }
        return false;
    }

    private Response mount(Mount m, Exchange ex) throws Throwable {
        String oldPath = ex.path;
        String oldRoot = ex.rootPath;
        String[] oldSegs = ex.segments;
        String rest = ex.path.substring(Math.min(ex.path.length(), rawPrefixLength(ex.path, m)));
        ex.path = rest.isEmpty() ? "/" : rest;
        ex.rootPath = oldRoot + m.path;
        ex.segments = null;
        App oldApp = ex.app;
        AppCore oldCore = ex.core;
        try {
            if (m.target instanceof App sub) {
                AppCore subCore = AppAccess.core(sub);
                ex.app = sub;
                ex.core = subCore;
                return subCore.respond(ex);
            }
            Object result = ((Endpoint) m.target).handle(ex);
            return result instanceof Response r ? r : Response.bytes(JsonOut.write(result, null), "application/json");
        } finally {
            ex.app = oldApp;
            ex.core = oldCore;
            ex.path = oldPath;
            ex.rootPath = oldRoot;
            ex.segments = oldSegs;
        }
    }

    /** How many characters of the raw path the mount's prefix covers (its segments, raw). */
    private static int rawPrefixLength(String path, Mount m) {
        int n = m.prefix.segmentCount();
        if (m.path.isEmpty()) {
            return 0;
        }
        int i = 0;
        for (int k = 0; k < n; k++) {
            int slash = path.indexOf('/', i + 1);
            i = slash < 0 ? path.length() : slash;
        }
        return i;
    }

    // ---- dependencies -------------------------------------------------------------------------------------

    /** Resolves a dependency parameter: override, per-request cache, sub-dependencies, call, {@link Yield}. */
    Object dependency(ParamSpec p, Exchange ex, Errors errors, List<String> scopes) throws Throwable {
        DependencyNode node = p.dependency;
        if (!overrides.isEmpty()) {
            Object o = overrides.get(node.key);
            if (o != null) {
                node = overrideNodes.computeIfAbsent(o, x -> {
                    synchronized (compiler) {
                        return compiler.override(p.dependency.key, x);
                    }
                });
            }
        }
        List<String> sc = scopes;
        if (!p.scopes.isEmpty()) {
            sc = new ArrayList<>(scopes);
            sc.addAll(p.scopes);
        }
        Object key = node.usesScopes ? List.of(node, sc) : node;
        if (p.useCache && ex.depCache != null && ex.depCache.containsKey(key)) {
            return ex.depCache.get(key);
        }
        int before = errors.count();
        Object[] args = node.invocable.resolve(ex, errors, sc);
        if (errors.count() != before) {
            return Reader.INVALID;
        }
        Object v = ParamSpec.unwrapYield(node.invocable.invoke(args), ex);
        if (p.useCache) {
            if (ex.depCache == null) {
                ex.depCache = new java.util.HashMap<>();
            }
            ex.depCache.put(key, v);
        }
        return v;
    }

    /** Runs the teardowns with {@code error}, newest first; returns the error to answer (a teardown may replace it). */
    Throwable teardown(Exchange ex, Throwable error) {
        List<Yield.Teardown> list = ex.teardowns;
        if (list == null) {
            return error;
        }
        ex.teardowns = null;
        Throwable current = error;
        for (int i = list.size() - 1; i >= 0; i--) {
            try {
                list.get(i).close(current);
            } catch (Throwable t) {
                if (current != null && t != current) {
                    t.addSuppressed(current);
                }
                current = t;
            }
        }
        return current;
    }

    private void finish(Exchange ex, Throwable error) {
        Throwable t = teardown(ex, error);
        if (t != null && t != error) {
            Log.LOG.log(System.Logger.Level.ERROR, "a dependency's teardown failed after the response", t);
        }
        if (ex.uploads != null) {
            for (UploadFile f : ex.uploads) {
                f.close();
            }
        }
    }

    private static void runBackground(Exchange ex) {
        if (ex.tasks == null) {
            return;
        }
        for (var task : ex.tasks) {
            try {
                task.run();
            } catch (Cancelled c) {
                throw c;
            } catch (Throwable t) {
                Log.LOG.log(System.Logger.Level.ERROR, "a background task failed", t);
            }
        }
    }
}
