package dev.spindle.web;

/**
 * A handler as a lambda, for routes that need no typed parameters or OpenAPI detail (health checks, redirects,
 * quick tools): it reads the {@link Request} and returns a body, as an annotated method would.
 *
 * {@snippet :
 * app.get("/health", request -> Map.of("status", "ok"));
 * app.get("/hello/{name}", request -> "Hello " + request.pathParams().get("name"));
 * }
 *
 * <p>It is {@link java.io.Serializable} so that {@link App#reportSlowHandlers} can name the method a lambda or method
 * reference runs (its {@link java.lang.invoke.SerializedLambda}) and find it in a stalled loop's stack; an endpoint
 * is never actually serialized, and what a lambda captures need not be serializable.
 */
@FunctionalInterface
public interface Endpoint extends java.io.Serializable {
    /** Returns a value written as JSON, or a {@link dev.spindle.web.responses.Response}. */
    Object handle(Request request) throws Exception;

    /**
     * {@code endpoint} run on the app's bounded worker pool, as {@link OnWorker} runs an annotated handler: the
     * request's body is read first, in the request's coroutine, and {@code endpoint} then runs on a worker thread
     * (503 when the pool and its queue are full). It may read the request (path, query, headers, the body) but not
     * do I/O on the connection (no WebSocket, no streaming request body).
     *
     * {@snippet :
     * app.post("/hash", Endpoint.onWorker(request -> Map.of("sha256", sha256(request.body()))));
     * }
     */
    static Endpoint onWorker(Endpoint endpoint) {
        java.util.Objects.requireNonNull(endpoint, "endpoint");
        return endpoint instanceof dev.spindle.web.internal.WorkerEndpoint
                ? endpoint
                : new dev.spindle.web.internal.WorkerEndpoint(endpoint);
    }
}
