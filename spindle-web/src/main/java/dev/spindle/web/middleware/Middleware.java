package dev.spindle.web.middleware;

import dev.spindle.web.Request;
import dev.spindle.web.responses.Response;

/**
 * Code around every request (Starlette's {@code BaseHTTPMiddleware}): it may answer by itself, or call the rest of
 * the app and change its response.
 *
 * {@snippet :
 * app.addMiddleware((request, next) -> {
 *     long start = System.nanoTime();
 *     Response response = next.call(request);
 *     response.header("X-Process-Time", String.valueOf((System.nanoTime() - start) / 1e9));
 *     return response;
 * });
 * }
 *
 * <h2>Order</h2>
 * The middleware added last runs first (outermost), as in FastAPI. Errors answered by exception handlers
 * ({@code HTTPException}, validation errors) come back through {@code next} as responses; unexpected errors pass
 * through as exceptions, to the 500 handler outside every middleware.
 */
@FunctionalInterface
public interface Middleware {
    Response dispatch(Request request, CallNext next) throws Exception;

    /** The rest of the app. */
    @FunctionalInterface
    interface CallNext {
        Response call(Request request) throws Exception;
    }
}
