package dev.spindle.web;

import dev.spindle.web.responses.Response;

/**
 * Answers a request whose handling threw {@code E} (FastAPI's {@code @app.exception_handler}).
 *
 * {@snippet :
 * app.exceptionHandler(UnicornException.class, (request, e) ->
 *         Response.json(Map.of("message", "Oops! " + e.name() + " did something.")).status(418));
 * }
 *
 * <p>The most specific registered type wins (the exception's class, then its superclasses); a handler for a status
 * answers {@link HTTPException}s of that status (404 for unknown paths included). A handler for
 * {@code Exception.class} or status 500 answers unexpected errors, outside the middleware (as Starlette's
 * {@code ServerErrorMiddleware}).
 */
@FunctionalInterface
public interface ExceptionHandler<E extends Throwable> {
    Response handle(Request request, E error) throws Exception;
}
