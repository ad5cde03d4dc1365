package dev.spindle.http;

import java.net.SocketAddress;
import java.util.Optional;
import javax.net.ssl.SSLSession;

/**
 * One request as the server received it: the request line, the headers, and a body to read.
 *
 * {@snippet :
 * Handler h = (req, res) -> {
 *     if (req.method().equals("POST") && req.path().equals("/upload")) {
 *         byte[] data = req.body().readAll(10 << 20);
 *         res.send("got " + data.length + " bytes from " + req.remoteAddress());
 *     } else {
 *         res.status(404).send("no route for " + req.target());
 *     }
 * };
 * }
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li><b>Threads.</b> Belongs to the handler's coroutine; valid until the handler returns.
 *   <li><b>What was checked.</b> The method is a token; the target has no control characters or spaces; the headers
 *       passed RFC 9112's framing rules (see the package documentation). Nothing is percent-decoded: {@link #path()}
 *       and {@link #rawQuery()} are as sent, for the framework to decode.
 * </ul>
 */
public interface Request {
    /** The method, as sent (case-sensitive, RFC 9110 §9.1): {@code "GET"}, {@code "POST"}... */
    String method();

    /** The request target as sent: {@code "/a/b?x=1"}, or {@code "*"}, or an absolute URI for a proxy. */
    String target();

    /** The path part of the target, without the query: {@code "/a/b"}; for an absolute URI, its path. */
    String path();

    /** The query part of the target after {@code '?'}, not decoded; {@code ""} if none. */
    String rawQuery();

    HttpVersion version();

    /** The request's headers (read-only). */
    Headers headers();

    /** Shorthand for {@code headers().get(name)}. */
    default String header(String name) {
        return headers().get(name);
    }

    /** The body, read on demand. */
    RequestBody body();

    /** {@code "https"} over TLS, else {@code "http"}. */
    String scheme();

    /** The client's address (the TCP peer; proxies' forwarding headers are the framework's to trust or not). */
    SocketAddress remoteAddress();

    /** The address the connection came in on. */
    SocketAddress localAddress();

    /** The TLS session, for a connection over TLS. */
    Optional<SSLSession> tlsSession();

    /**
     * Registers {@code hook} to run, in this connection's coroutine's loop, when the server begins a graceful
     * shutdown while this request is being served, before its grace period runs: a WebSocket handler sends its close
     * frame 1001 there, a long poll answers early. Hooks run once, in registration order; a failing hook is logged.
     * Nothing runs if the request ends first.
     */
    void onShutdown(Runnable hook);

    /** Whether the server is shutting down (a long-running handler should wind up). */
    boolean isShuttingDown();
}
