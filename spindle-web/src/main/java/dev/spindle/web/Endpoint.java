package dev.spindle.web;

/**
 * A handler as a lambda, for routes that need no typed parameters or OpenAPI detail (health checks, redirects,
 * quick tools): it reads the {@link Request} and returns a body, as an annotated method would.
 *
 * {@snippet :
 * app.get("/health", request -> Map.of("status", "ok"));
 * app.get("/hello/{name}", request -> "Hello " + request.pathParams().get("name"));
 * }
 */
@FunctionalInterface
public interface Endpoint {
    /** Returns a value written as JSON, or a {@link dev.spindle.web.responses.Response}. */
    Object handle(Request request) throws Exception;
}
