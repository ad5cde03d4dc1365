package dev.spindle.web;

import java.util.Map;

/**
 * Answers the request with a status and {@code {"detail": detail}} (FastAPI's {@code HTTPException}); thrown from a
 * handler or a dependency, anywhere down the call.
 *
 * {@snippet :
 * @Get("/items/{itemId}")
 * Item read(@Path String itemId) {
 *     Item item = items.get(itemId);
 *     if (item == null) {
 *         throw new HTTPException(404, "Item not found");
 *     }
 *     return item;
 * }
 * }
 *
 * <p>The detail may be any JSON-serializable value (a string, a map, a list). Headers are added to the response
 * ({@code WWW-Authenticate} on a 401, say). A handler registered for the status or for this type
 * ({@link App#exceptionHandler}) answers instead.
 */
public class HTTPException extends RuntimeException {
    private final int status;
    private final transient Object detail;
    private final Map<String, String> headers;

    public HTTPException(int status, Object detail, Map<String, String> headers) {
        super("HTTP " + status + ": " + detail, null, false, false);
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("status must be 100..599: " + status);
        }
        this.status = status;
        this.detail = detail == null ? dev.spindle.web.internal.Statuses.phrase(status) : detail;
        this.headers = headers == null ? Map.of() : Map.copyOf(headers);
    }

    public HTTPException(int status, Object detail) {
        this(status, detail, null);
    }

    /** With the status's reason phrase as detail ({@code "Not Found"}). */
    public HTTPException(int status) {
        this(status, null, null);
    }

    public int status() {
        return status;
    }

    public Object detail() {
        return detail;
    }

    public Map<String, String> headers() {
        return headers;
    }
}
