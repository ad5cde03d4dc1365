package dev.spindle.http.internal;

import dev.spindle.http.Handler;
import dev.spindle.http.HttpServerOptions;
import dev.spindle.io.Connection;
import dev.spindle.loop.Loop;
import dev.spindle.task.Task;
import java.nio.charset.StandardCharsets;

/**
 * What an {@link Http1Connection} needs of the server it belongs to: the handler, the options, the loop, the logs
 * and the prepared {@code Server} line. A {@link LoopServer} holds one for all its connections;
 * {@link #serveConnection} makes one for a single connection served without a listener. Immutable; the connection
 * reads these fields directly, as it read the server's before.
 */
public final class ServerContext {
    final Loop loop;
    final HttpServerOptions options;
    final Handler handler;
    final HttpLog log = new HttpLog();
    /** "Server: x\r\n", or null for none. */
    final byte[] serverLine;
    /** Whether requests came over TLS (the scheme is https). */
    final boolean tls;

    ServerContext(Loop loop, Handler handler, HttpServerOptions options, boolean tls) {
        this.loop = loop;
        this.options = options;
        this.handler = handler;
        this.serverLine = options.serverHeader().isEmpty()
                ? null
                : ("Server: " + options.serverHeader() + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
        this.tls = tls;
    }

    /**
     * See {@link dev.spindle.http.HttpServer#serveConnection}: serves requests on {@code connection} in the calling
     * coroutine until it is to close, then closes it (aborts it if serving failed), as the core server does with
     * the connections it accepted.
     */
    public static void serveConnection(Handler handler, Connection connection, HttpServerOptions options) {
        if (Task.currentOrNull() == null) {
            throw new IllegalStateException(
                    "HttpServer.serveConnection must be called from a coroutine, not from " + Thread.currentThread());
        }
        boolean tls = connection.writer().tlsSession().isPresent();
        ServerContext context = new ServerContext(Loop.current(), handler, options, tls);
        boolean clean = false;
        try {
            new Http1Connection(context, connection.reader(), connection.writer()).serve();
            clean = true;
        } finally {
            if (clean) {
                connection.close();
            } else {
                connection.writer().abort();
            }
        }
    }
}
