package dev.spindle.http.websocket;

/**
 * A request that is not a valid WebSocket opening handshake, refused by {@link WebSocket#accept}: the response has
 * been sent already ({@link #status()}: 400, 403, 405 or 426), so the handler should return.
 *
 * {@snippet :
 * WebSocket ws;
 * try {
 *     ws = WebSocket.accept(req, res, options);
 * } catch (WebSocketRejected e) {
 *     return; // answered
 * }
 * }
 */
public class WebSocketRejected extends RuntimeException {
    private final int status;

    public WebSocketRejected(int status, String message) {
        super(message);
        this.status = status;
    }

    /** The status the request was answered with. */
    public int status() {
        return status;
    }
}
