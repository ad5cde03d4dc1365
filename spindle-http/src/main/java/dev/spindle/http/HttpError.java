package dev.spindle.http;

/**
 * A failure with an HTTP status to answer with. Thrown by the server's own checks (a request body past its cap:
 * 413; a malformed chunked body: 400; a body that stopped arriving: 408), and thrown by handlers that want the server
 * to answer with a status: if the response has not started, the server sends {@link #status()} with the message as
 * a plain-text body (for 4xx; a 5xx carries only the reason phrase) and goes on; if it has started, the connection
 * is closed. Headers added with {@link #withHeader} go with the answer ({@code WWW-Authenticate} with a 401,
 * {@code Allow} with a 405, {@code Retry-After} with a 429 or 503); the response's own headers set before the error do
 * not.
 *
 * {@snippet :
 * Handler h = (req, res) -> {
 *     if (req.headers().get("Authorization") == null) {
 *         throw new HttpError(401, "credentials required").withHeader("WWW-Authenticate", "Bearer");
 *     }
 *     res.send("welcome");
 * };
 * }
 */
public class HttpError extends RuntimeException {
    private final int status;
    /** Made on the first {@link #withHeader}. */
    private Headers headers;

    /**
     * @param status a status from 400 to 599
     * @throws IllegalArgumentException for a status outside 400..599
     */
    public HttpError(int status, String message) {
        this(status, message, null);
    }

    public HttpError(int status, String message, Throwable cause) {
        super(message, cause);
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("an HttpError's status is 400..599, not " + status);
        }
        this.status = status;
    }

    /**
     * Adds a header to the answer (a repeated name adds another field); returns this error, for a {@code throw}.
     * Framing headers ({@code Content-Length}, {@code Transfer-Encoding}) are the server's and are ignored.
     *
     * @throws IllegalArgumentException for a name that is not a token or a value with control characters
     */
    public HttpError withHeader(String name, String value) {
        if (headers == null) {
            headers = new Headers();
        }
        headers.add(name, value);
        return this;
    }

    /** The headers added with {@link #withHeader}, read-only; empty if none. */
    public Headers headers() {
        return headers == null ? new Headers().readOnly() : headers.readOnly();
    }

    /** The status to answer with. */
    public int status() {
        return status;
    }
}
