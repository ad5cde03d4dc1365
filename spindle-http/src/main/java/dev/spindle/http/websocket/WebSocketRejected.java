package dev.spindle.http.websocket;

import dev.spindle.http.HttpError;

/**
 * A request that is not a valid WebSocket opening handshake, refused by {@link WebSocket#accept}: an
 * {@link HttpError} whose {@link #status()} (400, 403, 405 or 426) and {@link #headers()} are the answer the request
 * needs. Nothing has been sent: let it propagate and the server answers it as any {@code HttpError} (with
 * {@code Sec-WebSocket-Version: 13}, {@code Upgrade: websocket} and {@code Connection: Upgrade} on a 426,
 * {@code Allow: GET} on a 405), keeping the connection open unless a request body was left unread. Catch it only to
 * answer differently.
 *
 * {@snippet :
 * Handler h = (req, res) -> {
 *     try (WebSocket ws = WebSocket.accept(req, res, options)) { // a refusal propagates: the server answers it
 *         for (Message m : ws) {
 *             ws.send(m);
 *         }
 *     }
 * };
 * }
 */
public class WebSocketRejected extends HttpError {
    /**
     * @param status a status from 400 to 599
     * @throws IllegalArgumentException for a status outside 400..599
     */
    public WebSocketRejected(int status, String message) {
        super(status, message);
    }

    /** See {@link HttpError#withHeader}; returns this refusal. */
    @Override
    public WebSocketRejected withHeader(String name, String value) {
        super.withHeader(name, value);
        return this;
    }
}
