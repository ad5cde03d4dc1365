package dev.spindle.http.websocket;

import dev.spindle.http.websocket.internal.ClientHandshake;
import dev.spindle.io.Connection;
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

    /**
     * Performs the opening handshake for {@code uri} over {@code connection}, which is already open (to an
     * in-process server over {@link dev.spindle.io.Streams#memoryPair()}, through a tunnel...), instead of
     * connecting to the URI's host. The URI gives the request's target and {@code Host}; its scheme does not start
     * TLS (a {@code wss} connection is secured by whoever opened it). The handshake is bounded by
     * {@link WebSocketOptions#openTimeout()}; {@link WebSocketOptions#tls()} is not used.
     *
     * {@snippet :
     * ConnectionPair p = Streams.memoryPair();
     * spawn(() -> HttpServer.serveConnection(app, p.second(), HttpServerOptions.defaults()));
     * try (WebSocket ws = WebSocketClient.connect(URI.create("ws://testserver/echo"), p.first(),
     *         WebSocketOptions.defaults())) {
     *     ws.send("hi");
     *     System.out.println(ws.receive().text()); // hi
     * }
     * }
     *
     * <p>The WebSocket owns the connection: closing it closes the connection, and a failed handshake aborts it.
     *
     * @throws IllegalArgumentException for a URI that is not ws or wss, has no host, or has a fragment
     * @throws HandshakeFailed if the server refused or answered wrongly
     */
    public static WebSocket connect(URI uri, Connection connection, WebSocketOptions options) {
        return ClientHandshake.connect(
                Objects.requireNonNull(uri, "uri"),
                Objects.requireNonNull(connection, "connection"),
                Objects.requireNonNull(options, "options"));
    }
}
