package dev.spindle.http.internal;

import dev.spindle.http.Handler;
import dev.spindle.http.HttpServerOptions;
import dev.spindle.io.ConnectionLost;
import dev.spindle.io.Server;
import dev.spindle.io.ServerOptions;
import dev.spindle.io.StreamReader;
import dev.spindle.io.StreamWriter;
import dev.spindle.io.Streams;
import dev.spindle.io.TlsOptions;
import dev.spindle.loop.Loop;
import dev.spindle.sync.LoopEvent;
import dev.spindle.time.TimedOut;
import dev.spindle.time.TimeoutScope;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The HTTP server on one loop: a core {@link Server} whose connection handler is an {@link Http1Connection}, the set
 * of live connections, and the graceful shutdown of them. Loop-confined, except {@link #addresses()}.
 */
final class LoopServer {
    /** How long cancelled handlers get to unwind after the grace period before the loop stops waiting. */
    private static final Duration UNWIND = Duration.ofSeconds(5);

    private static final String OVERLOADED_TEXT = "503 Service Unavailable: too many connections\n";
    private static final byte[] OVERLOADED = ("HTTP/1.1 503 Service Unavailable\r\nRetry-After: 1\r\n"
                    + "Content-Type: text/plain; charset=utf-8\r\nContent-Length: " + OVERLOADED_TEXT.length()
                    + "\r\nConnection: close\r\n\r\n" + OVERLOADED_TEXT)
            .getBytes(StandardCharsets.ISO_8859_1);

    final ServerGroup group;
    final Loop loop;
    final HttpServerOptions options;
    /** What the connections read of their server, shared by all of them. */
    private final ServerContext context;

    private final Server server;

    private final Set<Http1Connection> connections = new LinkedHashSet<>();
    private final LoopEvent changed = new LoopEvent();
    final LoopEvent stopped = new LoopEvent();
    private boolean shuttingDown;
    private long deadline = TimeoutScope.NEVER;

    private LoopServer(ServerGroup group, Handler handler, HttpServerOptions options, int port, boolean reusePort) {
        this.group = group;
        this.loop = Loop.current();
        this.options = options;
        boolean tls = options.tls().isPresent();
        this.context = new ServerContext(loop, handler, options, tls);
        ServerOptions.Builder so =
                ServerOptions.builder().backlog(options.backlog()).reusePort(reusePort);
        if (tls) {
            TlsOptions t = options.tls().get();
            so.tls(t.alpn().isEmpty() ? t.withAlpn("http/1.1") : t);
        }
        this.server = Streams.startServer(this::handle, options.host(), port, so.build());
    }

    /** Starts listening on the current loop. */
    static LoopServer start(ServerGroup group, Handler handler, HttpServerOptions options, int port, boolean reuse) {
        return new LoopServer(group, handler, options, port, reuse);
    }

    List<SocketAddress> addresses() {
        return server.addresses();
    }

    /** The core server's handler: one connection, in its own task. */
    private void handle(StreamReader reader, StreamWriter writer) {
        if (shuttingDown) {
            writer.abort();
            return;
        }
        if (group.open.incrementAndGet() > options.maxConnections()) {
            try {
                refuse(reader, writer);
            } finally {
                group.open.decrementAndGet();
            }
            return;
        }
        Http1Connection c = new Http1Connection(context, reader, writer);
        connections.add(c);
        try {
            c.serve();
        } finally {
            connections.remove(c);
            group.open.decrementAndGet();
            if (shuttingDown) {
                changed.set();
            }
        }
    }

    /** Past maxConnections: 503 with Retry-After, then a short lingering close so the answer is read. */
    private void refuse(StreamReader reader, StreamWriter writer) {
        try {
            writer.write(OVERLOADED);
            writer.writeEof();
            TimeoutScope.after(Duration.ofSeconds(1)).run(() -> {
                byte[] sink;
                int total = 0;
                do {
                    sink = reader.read(16 * 1024);
                    total += sink.length;
                } while (sink.length > 0 && total < 64 * 1024);
                return null;
            });
        } catch (TimedOut | ConnectionLost | IllegalStateException e) {
            // done
        }
    }

    int connections() {
        return connections.size();
    }

    /**
     * Graceful shutdown on this loop; returns when every connection has ended. A second call can only bring the
     * deadline closer.
     */
    void shutdown(Duration grace) {
        long d = loop.nanoTime() + Math.min(grace.toNanos(), Long.MAX_VALUE / 4);
        if (!shuttingDown) {
            shuttingDown = true;
            deadline = d;
            server.close(); // stop accepting
            for (Http1Connection c : new ArrayList<>(connections)) {
                c.shutdown();
                if (c.idle) {
                    c.task.cancel("server shutting down"); // an idle keep-alive connection just closes
                }
            }
        } else if (d < deadline) {
            deadline = d;
            changed.set();
        }
        while (!connections.isEmpty()) {
            long left = deadline - loop.nanoTime();
            if (left <= 0) {
                for (Http1Connection c : new ArrayList<>(connections)) {
                    c.task.cancel("server shutdown: grace period over");
                }
                break;
            }
            changed.clear();
            try {
                TimeoutScope.at(deadline).run(() -> {
                    changed.await();
                    return null;
                });
            } catch (TimedOut e) {
                // the loop's next round cancels what remains
            }
        }
        try {
            TimeoutScope.after(UNWIND).run(() -> {
                server.waitClosed();
                return null;
            });
        } catch (TimedOut e) {
            // a handler that swallows cancellation: the loop's end will cancel it again
        }
        stopped.set();
    }
}
