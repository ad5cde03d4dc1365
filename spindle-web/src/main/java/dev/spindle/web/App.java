package dev.spindle.web;

import dev.spindle.http.Handler;
import dev.spindle.http.HttpServer;
import dev.spindle.http.HttpServerOptions;
import dev.spindle.web.internal.AppAccess;
import dev.spindle.web.internal.AppBuilder;
import dev.spindle.web.internal.AppCore;
import dev.spindle.web.internal.Docs;
import dev.spindle.web.internal.SlowHandlers;
import dev.spindle.web.internal.WorkerPool;
import dev.spindle.web.middleware.Middleware;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * A web application (FastAPI's {@code FastAPI}): routes, dependencies, middleware, exception handlers, lifespan and
 * the OpenAPI document with its Swagger UI and ReDoc pages; a spindle-http {@link Handler}, served by
 * {@link #serve(int)}.
 *
 * {@snippet :
 * public class Main {
 *     record Item(String name, double price, Optional<Boolean> isOffer) {}
 *
 *     @Get("/")
 *     Map<String, String> readRoot() {
 *         return Map.of("Hello", "World");
 *     }
 *
 *     @Get("/items/{item_id}")
 *     Map<String, Object> readItem(@Path("item_id") int itemId, @Query Optional<String> q) {
 *         return Map.of("item_id", itemId, "q", q.orElse(null));
 *     }
 *
 *     public static void main(String[] args) {
 *         new App().include(new Main()).serve(8000);   // docs at http://127.0.0.1:8000/docs
 *     }
 * }
 * }
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li><b>Startup.</b> Declarations (routes, middleware, handlers, {@link #provide}) are made first, from one thread.
 *       The first request, {@link #startup()} or {@link #serve} compiles everything once (every handler's parameters,
 *       every dependency, the route table); afterwards declaring more throws {@link IllegalStateException}.
 *   <li><b>Requests.</b> Each request runs in its connection's coroutine; a handler may block (it parks only its
 *       coroutine). The app is safe to serve from many loops at once. {@link OnWorker} handlers run on the app's
 *       bounded {@link #workers(int, int) worker pool}; {@link #reportSlowHandlers} reports handlers that hold their
 *       loop.
 *   <li><b>Errors.</b> See {@link ExceptionHandler} and {@link Middleware} for the layers.
 * </ul>
 */
public final class App extends Router implements Handler {
    private String title = "Spindle";
    private String version = "0.1.0";
    private String description = "";
    private String openapiUrl = "/openapi.json";
    private String docsUrl = "/docs";
    private String redocUrl = "/redoc";
    private boolean redirectSlashes = true;
    private int workerThreads = Runtime.getRuntime().availableProcessors();
    private int workerQueue = 64;
    private SlowHandlers slowHandlers;
    private WorkerPool workers;
    private final List<Middleware> middleware = new ArrayList<>();
    private final Map<Class<?>, ExceptionHandler<Throwable>> typeHandlers = new HashMap<>();
    private final Map<Integer, ExceptionHandler<Throwable>> statusHandlers = new HashMap<>();
    private final Map<Class<?>, Object> overrides = new ConcurrentHashMap<>();
    private final Map<Class<?>, Object> provided = new HashMap<>();
    private final List<Lifespan> lifespans = new ArrayList<>();
    private final List<AutoCloseable> running = new ArrayList<>();
    private final State state = new State();
    private final Map<String, String> tagDescriptions = new java.util.LinkedHashMap<>();
    private volatile AppCore core;
    private volatile byte[] openapi;

    /** An app with FastAPI's defaults: docs at /docs and /redoc, the document at /openapi.json. */
    public App() {}

    /** OpenAPI's {@code info.title}. */
    public App title(String title) {
        checkOpen();
        this.title = Objects.requireNonNull(title, "title");
        return this;
    }

    /** OpenAPI's {@code info.version}. */
    public App version(String version) {
        checkOpen();
        this.version = Objects.requireNonNull(version, "version");
        return this;
    }

    /** OpenAPI's {@code info.description} (Markdown). */
    public App description(String description) {
        checkOpen();
        this.description = Objects.requireNonNull(description, "description");
        return this;
    }

    /** Where the OpenAPI document is served ({@code null}: nowhere, and no docs pages either). */
    public App openapiUrl(String url) {
        checkOpen();
        this.openapiUrl = url;
        return this;
    }

    /** Where Swagger UI is served ({@code null}: nowhere). */
    public App docsUrl(String url) {
        checkOpen();
        this.docsUrl = url;
        return this;
    }

    /** Where ReDoc is served ({@code null}: nowhere). */
    public App redocUrl(String url) {
        checkOpen();
        this.redocUrl = url;
        return this;
    }

    /** Whether a path that matches only with or without its trailing slash is redirected there (307; default on). */
    public App redirectSlashes(boolean on) {
        checkOpen();
        this.redirectSlashes = on;
        return this;
    }

    /**
     * The worker pool of {@link OnWorker} handlers: {@code threads} platform threads and at most {@code queue} calls
     * waiting; a call that finds both full is answered 503 with {@code Retry-After: 1} (default: one thread per core,
     * 64 waiting). The threads start with the first such call and stop at {@link #shutdown()}.
     *
     * @throws IllegalArgumentException if {@code threads < 1} or {@code queue < 1}
     */
    public App workers(int threads, int queue) {
        checkOpen();
        if (threads < 1 || queue < 1) {
            throw new IllegalArgumentException(
                    "workers need at least one thread and one queue slot, not " + threads + " and " + queue);
        }
        this.workerThreads = threads;
        this.workerQueue = queue;
        return this;
    }

    /**
     * Reports, to the {@code dev.spindle.web} logger at WARNING, every time a handler holds its loop at least
     * {@code threshold} without yielding (every other connection of that loop waited meanwhile), naming the route's
     * method and path template and how long it held the loop. See {@link #reportSlowHandlers(Duration, Consumer)}.
     */
    public App reportSlowHandlers(Duration threshold) {
        return reportSlowHandlers(threshold, SlowHandlers::log);
    }

    /**
     * Hands {@code listener} a {@link SlowHandler} each time a handler holds its loop at least {@code threshold}
     * without yielding: once per such stretch, whether it came at the start of the call or after the handler had
     * awaited something (keep the listener quick). Off by default.
     *
     * <p>How it sees: core's {@link dev.spindle.observe.StallWatchdog} samples the loops (every
     * {@code min(10 ms, threshold / 8)}) and reports each step past the threshold with the stack taken then; a stack
     * holding a route's handler frame is that route's (a dependency or helper the handler called counts as the
     * handler). The handler frame is the handler method's, or for an {@link Endpoint} the method its lambda or method
     * reference runs (named, when the app is compiled, from the lambda's {@link java.lang.invoke.SerializedLambda}),
     * or a class's {@code handle}. Endpoints that share one such method (one lambda object given to two routes,
     * method references to one method) are reported under the first of their routes. The report comes on the
     * watchdog's thread when the stretch ends, or while it still runs if it lasts past ten thresholds (at least a
     * second: a handler stuck for good is reported too); {@code held} is accurate to a sampling period. The request
     * path pays nothing. {@link OnWorker} handlers and mounted endpoints are not watched. The watchdog starts when the
     * app is compiled and stops at {@link #shutdown()}.
     *
     * @throws IllegalArgumentException if {@code threshold} is not positive
     */
    public App reportSlowHandlers(Duration threshold, Consumer<? super SlowHandler> listener) {
        checkOpen();
        Objects.requireNonNull(threshold, "threshold");
        Objects.requireNonNull(listener, "listener");
        if (threshold.isNegative() || threshold.isZero()) {
            throw new IllegalArgumentException("the slow-handler threshold must be positive, not " + threshold);
        }
        this.slowHandlers = new SlowHandlers(threshold, listener);
        return this;
    }

    /**
     * Describes an OpenAPI tag (FastAPI's {@code openapi_tags}): the document's {@code tags} list names the tags so
     * described, in the order of these calls, with their descriptions (Markdown); Swagger UI and ReDoc group the
     * operations under them in that order.
     */
    public App tag(String name, String description) {
        checkOpen();
        tagDescriptions.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(description, "description"));
        return this;
    }

    /** The tags described by {@link #tag(String, String)}, in order: name to description. */
    public Map<String, String> tagDescriptions() {
        return java.util.Collections.unmodifiableMap(tagDescriptions);
    }

    public String title() {
        return title;
    }

    public String version() {
        return version;
    }

    public String description() {
        return description;
    }

    public String openapiUrl() {
        return openapiUrl;
    }

    public String docsUrl() {
        return docsUrl;
    }

    public String redocUrl() {
        return redocUrl;
    }

    /**
     * Gives the instance to use for dependency class {@code instance.getClass()} (a security scheme with its
     * settings, a provider holding a pool): {@code @Depends(ThatClass.class)} then calls its {@link
     * dev.spindle.web.depends.Provides} method, or injects the instance itself if it has none.
     */
    public App provide(Object instance) {
        checkOpen();
        provided.put(instance.getClass(), instance);
        return this;
    }

    /** {@link #provide(Object)} under {@code type} (an interface, a superclass). */
    public <T> App provide(Class<T> type, T instance) {
        checkOpen();
        provided.put(type, type.cast(instance));
        return this;
    }

    /**
     * Replacements of dependencies (FastAPI's {@code app.dependency_overrides}), read per request, so tests may
     * change them while the app serves: key the dependency class, value a {@link java.util.function.Supplier}, or an
     * object (or class) with a {@link dev.spindle.web.depends.Provides} method. Thread-safe.
     */
    public Map<Class<?>, Object> dependencyOverrides() {
        return overrides;
    }

    /** Answers exceptions of {@code type} (and subclasses without a handler of their own). */
    @SuppressWarnings("unchecked")
    public <E extends Throwable> App exceptionHandler(Class<E> type, ExceptionHandler<? super E> handler) {
        checkOpen();
        typeHandlers.put(type, (ExceptionHandler<Throwable>) (ExceptionHandler<?>) handler);
        return this;
    }

    /**
     * Answers {@link HTTPException}s of {@code status} (404 for unknown paths too; 500 for unexpected errors), and
     * spindle-http's {@link dev.spindle.http.HttpError}s of that status (a refused WebSocket handshake's 426, a body
     * past its cap's 413) as the {@code HTTPException} of their status, message and headers, unless a handler is
     * registered for their own type.
     */
    @SuppressWarnings("unchecked")
    public App exceptionHandler(int status, ExceptionHandler<? super HTTPException> handler) {
        checkOpen();
        statusHandlers.put(status, (ExceptionHandler<Throwable>) (ExceptionHandler<?>) handler);
        return this;
    }

    /** Adds a middleware; the last added runs first. */
    public App addMiddleware(Middleware m) {
        checkOpen();
        middleware.add(Objects.requireNonNull(m, "middleware"));
        return this;
    }

    /** Adds a lifespan (several run in order at startup, in reverse at shutdown). */
    public App lifespan(Lifespan lifespan) {
        checkOpen();
        lifespans.add(Objects.requireNonNull(lifespan, "lifespan"));
        return this;
    }

    /** Runs {@code hook} at startup (a lifespan without shutdown). */
    public App onStartup(Runnable hook) {
        return lifespan(a -> {
            hook.run();
            return () -> {};
        });
    }

    /** Runs {@code hook} at shutdown. */
    public App onShutdown(Runnable hook) {
        return lifespan(a -> hook::run);
    }

    /** The app's state (set it in the lifespan; requests read it through {@link Request#state()}). */
    public State state() {
        return state;
    }

    /** Compiles the app if not yet done, then runs the lifespans' startups, in order. */
    public synchronized void startup() throws Exception {
        core();
        if (!running.isEmpty()) {
            return;
        }
        for (Lifespan l : lifespans) {
            try {
                running.add(l.start(this));
            } catch (Exception e) {
                shutdown();
                throw e;
            }
        }
    }

    /** Runs the lifespans' shutdowns, newest first; every one runs even if another fails (the first failure is thrown). */
    public synchronized void shutdown() throws Exception {
        if (workers != null) {
            workers.close();
        }
        if (slowHandlers != null) {
            slowHandlers.stop();
        }
        Exception first = null;
        for (int i = running.size() - 1; i >= 0; i--) {
            try {
                running.get(i).close();
            } catch (Exception e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        running.clear();
        if (first != null) {
            throw first;
        }
    }

    /**
     * Starts the app and serves it with {@code options} until SIGINT or SIGTERM (graceful shutdown; a second signal
     * forces it), then runs the lifespans' shutdowns. From a plain thread (the main one).
     */
    public void serve(HttpServerOptions options) {
        try {
            startup();
            try (HttpServer server = HttpServer.start(this, options)) {
                server.serveUntilSignal();
            } finally {
                shutdown();
            }
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("the app failed to start or stop: " + e.getMessage(), e);
        }
    }

    /** {@link #serve(HttpServerOptions)} on 127.0.0.1:{@code port}, one loop per core. */
    public void serve(int port) {
        serve(HttpServerOptions.builder().port(port).build());
    }

    /** Serves one request (the spindle-http handler). */
    @Override
    public void handle(dev.spindle.http.Request request, dev.spindle.http.Response response) throws Exception {
        core().handle(request, response);
    }

    /** The OpenAPI document (JSON), generated once. */
    public byte[] openapi() {
        byte[] doc = openapi;
        if (doc == null) {
            doc = openapi = Docs.openapi(this, core());
        }
        return doc.clone();
    }

    static {
        AppAccess.install(App::core);
    }

    /** The compiled app. */
    AppCore core() {
        AppCore c = core;
        if (c == null) {
            synchronized (this) {
                c = core;
                if (c == null) {
                    List<Object> flat = new ArrayList<>(Docs.routes(this));
                    flat.addAll(flatten());
                    workers = new WorkerPool(workerThreads, workerQueue);
                    c = core = AppBuilder.build(
                            this,
                            flat,
                            middleware,
                            typeHandlers,
                            statusHandlers,
                            overrides,
                            provided,
                            redirectSlashes,
                            workers,
                            slowHandlers);
                    if (slowHandlers != null) {
                        slowHandlers.start();
                    }
                }
            }
        }
        return c;
    }

    private void checkOpen() {
        if (core != null) {
            throw new IllegalStateException("the app has started: declare everything before serving");
        }
    }

    @Override
    public App include(Object routes) {
        checkOpen();
        super.include(routes);
        return this;
    }

    @Override
    public App responses(int status, String description, Class<?> model) {
        checkOpen();
        super.responses(status, description, model);
        return this;
    }

    @Override
    public App tags(String... tags) {
        checkOpen();
        super.tags(tags);
        return this;
    }

    /** Dependencies run for every route of the app. */
    @Override
    public App dependencies(Class<?>... dependencies) {
        checkOpen();
        super.dependencies(dependencies);
        return this;
    }

    @Override
    public App get(String path, Endpoint endpoint) {
        checkOpen();
        super.get(path, endpoint);
        return this;
    }

    @Override
    public App post(String path, Endpoint endpoint) {
        checkOpen();
        super.post(path, endpoint);
        return this;
    }

    @Override
    public App put(String path, Endpoint endpoint) {
        checkOpen();
        super.put(path, endpoint);
        return this;
    }

    @Override
    public App delete(String path, Endpoint endpoint) {
        checkOpen();
        super.delete(path, endpoint);
        return this;
    }

    @Override
    public App patch(String path, Endpoint endpoint) {
        checkOpen();
        super.patch(path, endpoint);
        return this;
    }

    @Override
    public App route(java.util.Set<String> methods, String path, Endpoint endpoint) {
        checkOpen();
        super.route(methods, path, endpoint);
        return this;
    }

    @Override
    public App mount(String path, App app) {
        checkOpen();
        super.mount(path, app);
        return this;
    }

    @Override
    public App mount(String path, Endpoint endpoint) {
        checkOpen();
        super.mount(path, endpoint);
        return this;
    }

    @Override
    public String toString() {
        return "App[" + title + " " + version + "]";
    }
}
