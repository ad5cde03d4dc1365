package dev.spindle.http.websocket;

import dev.spindle.http.Headers;

/**
 * The server did not accept a {@link WebSocketClient}'s opening handshake: it answered another status than 101, or
 * a 101 that breaks RFC 6455 §4.1 (a wrong {@code Sec-WebSocket-Accept}, a subprotocol or extension not offered).
 * The connection is closed.
 *
 * {@snippet :
 * try {
 *     ws = WebSocketClient.connect(uri);
 * } catch (HandshakeFailed e) {
 *     if (e.status() == 401) {
 *         login();
 *     }
 * }
 * }
 */
public class HandshakeFailed extends RuntimeException {
    private final int status;
    private final Headers headers;

    public HandshakeFailed(String message, int status, Headers headers) {
        super(message);
        this.status = status;
        this.headers = headers == null ? new Headers().readOnly() : headers.readOnly();
    }

    /** The status the server answered (101 when the answer was a bad 101), or 0 if no valid status line came. */
    public int status() {
        return status;
    }

    /** The response's headers (empty if none came). */
    public Headers headers() {
        return headers;
    }
}
