package dev.spindle.http.websocket;

import dev.spindle.http.websocket.internal.ClientHandshake;
import java.net.URI;
import java.util.Objects;

/**
 * Opens WebSocket connections to servers ({@code ws://} over TCP, {@code wss://} over TLS with certificate and host
 * name verification on by default), offering permessage-deflate unless disabled.
 *
 * {@snippet :
 * try (WebSocket ws = WebSocketClient.connect(URI.create("wss://example.com/chat"),
 *         WebSocketOptions.builder().subprotocols("chat.v1").build())) {
 *     ws.send("hello");
 *     for (Message m : ws) {
 *         System.out.println(m.text());
 *     }
 * }
 * }
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li><b>Threads.</b> Call {@link #connect} from a coroutine; the WebSocket belongs to that coroutine's loop.
 *   <li><b>Handshake.</b> A random 16-byte key from {@link java.security.SecureRandom}; the answer must be a 101
 *       with the matching {@code Sec-WebSocket-Accept}, and a subprotocol and extensions the request offered.
 *       Connecting, TLS and the handshake together are bounded by {@link WebSocketOptions#openTimeout()}.
 *   <li><b>Errors.</b> {@link HandshakeFailed} for a refusal or a bad answer (with the status and headers);
 *       {@link dev.spindle.io.StreamError} subclasses for a connection that fails; {@link dev.spindle.time.TimedOut}
 *       past the open timeout. The connection is closed in every case.
 *   <li><b>No proxies.</b> The client connects to the URI's host directly; it reads no proxy settings.
 * </ul>
 */
public final class WebSocketClient {
    private WebSocketClient() {}

    /** {@link #connect(URI, WebSocketOptions)} with default options. */
    public static WebSocket connect(URI uri) {
        return connect(uri, WebSocketOptions.defaults());
    }

    /**
     * Connects to {@code uri} ({@code ws://host[:port]/path?query} or {@code wss://...}) and performs the opening
     * handshake.
     *
     * @throws IllegalArgumentException for a URI that is not ws or wss, has no host, or has a fragment
     */
    public static WebSocket connect(URI uri, WebSocketOptions options) {
        return ClientHandshake.connect(Objects.requireNonNull(uri, "uri"), Objects.requireNonNull(options, "options"));
    }
}
