package dev.spindle.http.client;

/**
 * The server's response broke HTTP/1.1 (RFC 9112) or one of the client's limits: a malformed status line, a head or
 * field past its size limit, a bad chunk size, a body cut short or longer than its {@code Content-Length} said, a
 * corrupt gzip body. The message names what was wrong. The connection it came on is closed, never reused; other
 * requests are not affected. httpx's {@code RemoteProtocolError}.
 *
 * {@snippet :
 * try {
 *     client.get("http://127.0.0.1:8080/broken");
 * } catch (ProtocolError e) {
 *     log.warning("bad server: " + e.getMessage()); // "malformed status line \"HTTP/1.1 2x0 OK\" ..."
 * }
 * }
 */
public class ProtocolError extends RuntimeException {
    public ProtocolError(String message) {
        super(message);
    }

    public ProtocolError(String message, Throwable cause) {
        super(message, cause);
    }
}
