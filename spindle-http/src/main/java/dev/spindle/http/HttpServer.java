package dev.spindle.http;

import dev.spindle.http.internal.ServerContext;
import dev.spindle.http.internal.ServerGroup;
import dev.spindle.io.Connection;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * An HTTP/1.1 server (uvicorn's job): each connection is a coroutine that reads requests and calls the
 * {@link Handler}, one request at a time.
 *
 * {@snippet :
 * public static void main(String[] args) {
 *     HttpServer server = HttpServer.start(
 *             (req, res) -> res.send("Hello, World!"),
 *             HttpServerOptions.builder().port(8080).build());
 *     server.serveUntilSignal(); // Ctrl-C: graceful shutdown; twice: at once
 * }
 * }
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li><b>Where it runs.</b> Started from a coroutine, it serves on that coroutine's loop. Started from a plain
 *       thread, it serves on {@link HttpServerOptions#loops()} loops of its own (one per core by default), each on a
 *       platform thread, all listening on the port with SO_REUSEPORT; a connection is served whole by the loop that
 *       accepted it.
 *   <li><b>Threads.</b> Every method may be called from any thread or coroutine; those that wait park a coroutine
 *       and block a plain thread.
 *   <li><b>Graceful shutdown</b> ({@link #shutdown(Duration)}): stop accepting; run the {@link #onShutdown} hooks
 *       and each in-flight request's {@link Request#onShutdown} hooks; close idle keep-alive connections at once and
 *       the others after their current response ({@code Connection: close}); after the grace period, cancel what
 *       remains. Then the loops the server made end.
 *   <li><b>Errors.</b> Bad requests are answered (400, 408, 413, 414, 417, 431, 501, 505) and their connection
 *       closed; a handler's failure is answered 500 and logged; none of it affects other connections.
 * </ul>
 *
 * <h2>Logs</h2>
 * Through {@link System.Logger}: {@code dev.spindle.http.access} at INFO, one line per response (nothing is formatted
 * when that level is off), and {@code dev.spindle.http.error} for handler failures (ERROR) and rejected requests
 * (DEBUG).
 */
public final class HttpServer implements AutoCloseable {
    private final ServerGroup group;

    private HttpServer(ServerGroup group) {
        this.group = group;
    }

    /**
     * Starts serving with {@code handler}; returns once listening.
     *
     * @throws dev.spindle.io.StreamError if the address cannot be bound
     */
    public static HttpServer start(Handler handler, HttpServerOptions options) {
        Objects.requireNonNull(handler, "handler");
        Objects.requireNonNull(options, "options");
        return new HttpServer(ServerGroup.start(handler, options));
    }

    /** {@link #start(Handler, HttpServerOptions)} on {@code port} of 127.0.0.1, other options default. */
    public static HttpServer start(Handler handler, int port) {
        return start(handler, HttpServerOptions.builder().port(port).build());
    }

    /**
     * Serves one connection that is already open with {@code handler}, in the calling coroutine, as the server
     * serves each connection it accepts: the same HTTP/1.1 codec, keep-alive loop, limits, deadlines and error
     * answers. Returns when the connection ends (the client closed it, a response closed it, a deadline passed, or
     * a bad request was answered); the connection is then closed. For connections that no listener accepted: one
     * end of a {@link dev.spindle.io.Streams#memoryPair()} (an in-process test client), a socket handed over by
     * another protocol.
     *
     * {@snippet :
     * run(() -> {
     *     HttpClient client = HttpClient.builder().connector((host, port, tls) -> {
     *         ConnectionPair p = Streams.memoryPair();     // a server in-process, per connection
     *         spawn(() -> HttpServer.serveConnection(handler, p.second(), HttpServerOptions.defaults()));
     *         return p.first();
     *     }).build();
     *     System.out.println(client.get("http://testserver/").text());
     *     client.close();
     * });
     * }
     *
     * <h2>Contract</h2>
     * <ul>
     *   <li><b>Threads.</b> Call from a coroutine of the connection's loop; handlers run in it.
     *   <li><b>Options.</b> The limits, timeouts, {@code Server} header and gzip settings of {@code options} apply;
     *       what concerns listening (host, port, loops, backlog, TLS, maxConnections) does not. The scheme requests
     *       see is {@code https} if the connection is TLS ({@link dev.spindle.io.Connection#startTls}), else
     *       {@code http}.
     *   <li><b>Errors.</b> As the server: bad requests are answered (400, 408, 413...) and end the connection; a
     *       handler's failure is answered 500 and logged; a client that goes away ends it quietly.
     *   <li><b>Cancellation.</b> Cancelling the calling coroutine ends serving: the request in progress is
     *       abandoned, the connection is aborted, and {@link dev.spindle.task.Cancelled} propagates.
     *   <li><b>Not tracked.</b> The connection belongs to no {@link HttpServer}: no shutdown reaches it.
     * </ul>
     *
     * @throws IllegalStateException if not called from a coroutine
     */
    public static void serveConnection(Handler handler, Connection connection, HttpServerOptions options) {
        Objects.requireNonNull(handler, "handler");
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(options, "options");
        ServerContext.serveConnection(handler, connection, options);
    }

    /** The addresses listened on (with the port the system chose for port 0). */
    public List<SocketAddress> addresses() {
        return group.addresses();
    }

    /** The port listened on. */
    public int port() {
        return ((InetSocketAddress) group.addresses().getFirst()).getPort();
    }

    /** How many loops serve. */
    public int loops() {
        return group.loops();
    }

    /** How many connections are open, over all loops. */
    public int connections() {
        return group.connections();
    }

    /** Whether the server accepts connections (until a shutdown begins). */
    public boolean isServing() {
        return group.isServing();
    }

    /** Waits until the server has shut down (by another caller's {@link #shutdown}). */
    public void serveForever() {
        group.awaitStopped();
    }

    /**
     * Serves until SIGINT or SIGTERM, then shuts down gracefully within {@link HttpServerOptions#shutdownTimeout()};
     * a second signal cancels what remains at once. Returns when the server has stopped. From a plain thread (the
     * main one, typically).
     */
    public void serveUntilSignal() {
        group.serveUntilSignal();
    }

    /**
     * Registers a hook run once when a shutdown begins, before the grace period (in the thread or coroutine that
     * called {@link #shutdown}).
     */
    public void onShutdown(Runnable hook) {
        group.onShutdown(Objects.requireNonNull(hook, "hook"));
    }

    /** {@link #shutdown(Duration)} with {@link HttpServerOptions#shutdownTimeout()}. */
    public void shutdown() {
        group.shutdown(group.options().shutdownTimeout());
    }

    /**
     * Shuts down gracefully (see the class documentation) and waits until done: at most {@code grace}, plus the time
     * cancelled handlers take to unwind. A second call waits for the first's end; with a shorter grace it cuts the
     * first's short.
     */
    public void shutdown(Duration grace) {
        group.shutdown(Objects.requireNonNull(grace, "grace"));
    }

    /** {@link #shutdown()}. */
    @Override
    public void close() {
        shutdown();
    }

    @Override
    public String toString() {
        return "HttpServer" + group.addresses() + "[loops=" + group.loops() + ", connections=" + group.connections()
                + (group.isServing() ? "" : ", stopped") + "]";
    }
}
