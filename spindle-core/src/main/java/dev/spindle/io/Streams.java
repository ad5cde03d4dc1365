package dev.spindle.io;

import dev.spindle.io.internal.Listener;
import dev.spindle.io.internal.MemoryTransport;
import dev.spindle.io.internal.NetBackend;
import dev.spindle.io.internal.PipeTransport;
import dev.spindle.io.internal.Transport;
import dev.spindle.loop.internal.EventLoop;
import dev.spindle.task.internal.Suspension;
import dev.spindle.time.TimeoutScope;
import java.io.IOException;
import java.net.BindException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * TCP and Unix domain stream connections and servers for coroutines (asyncio's {@code open_connection} and
 * {@code start_server}). Every method must be called from a coroutine: connecting and resolving suspend it, never the
 * loop.
 *
 * {@snippet :
 * run(() -> {
 *     Server server = Streams.startServer((reader, writer) -> {
 *         byte[] line = reader.readLine();
 *         writer.write(line);                        // echo one line
 *     }, "127.0.0.1", 0);
 *     int port = ((InetSocketAddress) server.addresses().get(0)).getPort();
 *
 *     try (Connection c = Streams.openConnection("127.0.0.1", port)) {
 *         c.writer().write("hi\n".getBytes(UTF_8));
 *         System.out.print(new String(c.reader().readLine(), UTF_8)); // hi
 *     }
 *     server.close();
 * });
 * }
 *
 * <h2>What carries the sockets</h2>
 * By default JDK channels on the loop's own selector. The system property {@code -Dspindle.io.backend=netty} (with
 * the {@code spindle-netty} module on the class path) switches every loop of the JVM to Netty's native transports;
 * nothing else in a program changes.
 *
 * <h2>Errors</h2>
 * A refused or unreachable connect, and a name that does not resolve, throw {@link StreamError}; a connect past its
 * {@linkplain ConnectOptions#connectTimeout() timeout} throws {@link dev.spindle.time.TimedOut}, and leaves no socket
 * open, as a connect cancelled any other way does.
 */
public final class Streams {
    private Streams() {}

    /** {@link #openConnection(String, int, ConnectOptions)} with the default options. */
    public static Connection openConnection(String host, int port) {
        return openConnection(host, port, ConnectOptions.defaults());
    }

    /**
     * Connects to {@code host} (a name or an IP literal) on {@code port}, suspending the calling coroutine. A name is
     * resolved off the loop; with several addresses they are tried as {@link ConnectOptions#happyEyeballsDelay()}
     * says. TCP connections get {@code TCP_NODELAY}.
     *
     * @throws StreamError if the name does not resolve or no address accepts the connection
     * @throws dev.spindle.time.TimedOut past {@link ConnectOptions#connectTimeout()}
     */
    public static Connection openConnection(String host, int port, ConnectOptions options) {
        Objects.requireNonNull(host, "host");
        ConnectOptions o = ConnectOptions.orDefaults(options);
        EventLoop loop = currentLoop("Streams.openConnection");
        NetBackend backend = NetBackend.current();
        Duration delay = o.happyEyeballsDelay().orElse(null);
        Transport t = withTimeout(o, () -> {
            Transport plain = Dialer.dial(loop, backend, host, port, delay);
            return o.tls().isPresent() ? secure(plain, o.tls().get(), host, port) : plain;
        });
        return Connection.of(t, o.limit(), host);
    }

    /** The TLS client handshake over a new connection; the connection is closed if it fails. */
    private static Transport secure(Transport plain, TlsOptions tls, String host, int port) {
        try {
            return dev.spindle.io.internal.TlsTransport.client(plain, tls, host, port);
        } catch (java.io.IOException e) {
            plain.close();
            throw new StreamError("TLS handshake with " + host + ":" + port + " failed: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            plain.close();
            throw e;
        }
    }

    /** {@link #openUnixConnection(Path, ConnectOptions)} with the default options. */
    public static Connection openUnixConnection(Path path) {
        return openUnixConnection(path, ConnectOptions.defaults());
    }

    /**
     * Connects to the Unix domain socket at {@code path}.
     *
     * @throws StreamError if nobody listens there
     * @throws dev.spindle.time.TimedOut past {@link ConnectOptions#connectTimeout()}
     */
    public static Connection openUnixConnection(Path path, ConnectOptions options) {
        Objects.requireNonNull(path, "path");
        ConnectOptions o = ConnectOptions.orDefaults(options);
        EventLoop loop = currentLoop("Streams.openUnixConnection");
        NetBackend backend = NetBackend.current();
        Transport t = withTimeout(o, () -> Dialer.connect(loop, backend, UnixDomainSocketAddress.of(path)));
        return Connection.of(t, o.limit(), null);
    }

    /** {@link #startServer(ConnectionHandler, String, int, ServerOptions)} with the default options. */
    public static Server startServer(ConnectionHandler handler, String host, int port) {
        return startServer(handler, host, port, ServerOptions.defaults());
    }

    /**
     * Listens on {@code host} and {@code port} and serves each connection with {@code handler}, in a task of its own;
     * accepting starts at once. A {@code null} or empty host listens on every interface (IPv6 and IPv4 where the
     * system has both); a name listens on each of its addresses. Port 0 lets the system choose one port, shared by
     * all the addresses; {@link Server#addresses()} tells which.
     *
     * @throws StreamError if an address cannot be bound (in use, not local) or the name does not resolve
     */
    public static Server startServer(ConnectionHandler handler, String host, int port, ServerOptions options) {
        Objects.requireNonNull(handler, "handler");
        ServerOptions o = ServerOptions.orDefaults(options);
        EventLoop loop = currentLoop("Streams.startServer");
        NetBackend backend = NetBackend.current();
        List<? extends SocketAddress> addresses = host == null || host.isEmpty()
                ? List.of(new InetSocketAddress(port))
                : Dialer.resolve(host, port, "could not listen on " + host + ":" + port);
        List<Listener> listeners = new ArrayList<>();
        List<IOException> skipped = new ArrayList<>();
        int chosenPort = port;
        try {
            for (SocketAddress a : addresses) {
                InetSocketAddress inet = (InetSocketAddress) a;
                SocketAddress bindTo = chosenPort == port ? inet : new InetSocketAddress(inet.getAddress(), chosenPort);
                try {
                    listeners.add(backend.listen(loop, bindTo, o.backlog(), o.reusePort()));
                } catch (BindException e) {
                    if (inet.getAddress() instanceof Inet6Address && addresses.size() > 1) {
                        skipped.add(e); // IPv6 disabled on this host, as asyncio tolerates (bpo-30945)
                        continue;
                    }
                    throw e;
                }
                if (chosenPort == 0) {
                    chosenPort = ((InetSocketAddress) listeners.getLast().localAddress()).getPort();
                }
            }
            if (listeners.isEmpty()) {
                throw skipped.get(0);
            }
        } catch (IOException e) {
            listeners.forEach(Listener::close);
            throw new StreamError(
                    "could not listen on " + (host == null || host.isEmpty() ? "*" : host) + ":" + port + ": "
                            + Peers.reason(e),
                    e);
        } catch (RuntimeException e) {
            listeners.forEach(Listener::close);
            throw e;
        }
        Server server = new Server(loop, listeners, handler, o);
        server.start();
        return server;
    }

    /** {@link #startUnixServer(ConnectionHandler, Path, ServerOptions)} with the default options. */
    public static Server startUnixServer(ConnectionHandler handler, Path path) {
        return startUnixServer(handler, path, ServerOptions.defaults());
    }

    /**
     * Listens on the Unix domain socket {@code path} and serves each connection with {@code handler}. A stale socket
     * file (left by a server that is gone) is replaced; the file is removed when the server closes.
     *
     * @throws StreamError if the path cannot be bound (a live server there, a directory missing)
     */
    public static Server startUnixServer(ConnectionHandler handler, Path path, ServerOptions options) {
        Objects.requireNonNull(handler, "handler");
        Objects.requireNonNull(path, "path");
        ServerOptions o = ServerOptions.orDefaults(options);
        EventLoop loop = currentLoop("Streams.startUnixServer");
        Listener l;
        try {
            l = NetBackend.current().listen(loop, UnixDomainSocketAddress.of(path), o.backlog(), false);
        } catch (IOException e) {
            throw new StreamError("could not listen on " + path + ": " + Peers.reason(e), e);
        }
        Server server = new Server(loop, List.of(l), handler, o);
        server.start();
        return server;
    }

    /** {@link #memoryPair(int)} with a limit of 64 KiB (asyncio's stream limit). */
    public static ConnectionPair memoryPair() {
        return memoryPair(PipeTransport.DEFAULT_LIMIT);
    }

    /**
     * Two connections joined to each other in memory on the current loop (Trio's {@code memory_stream_pair}): what
     * one end writes the other reads, with a TCP connection's semantics and no socket. For tests, and for serving a
     * protocol in-process (spindle-web's test client talks to the HTTP server this way).
     *
     * {@snippet :
     * run(() -> {
     *     ConnectionPair p = Streams.memoryPair();
     *     spawn(() -> p.second().writer().write(p.second().reader().readLine())); // echo one line
     *     p.first().writer().write("hi\n".getBytes(UTF_8));
     *     System.out.print(new String(p.first().reader().readLine(), UTF_8)); // hi
     *     p.close();
     * });
     * }
     *
     * <h2>Contract</h2>
     * <ul>
     *   <li><b>Threads.</b> Call from a coroutine; both ends belong to its loop and are loop-confined like any
     *       connection.
     *   <li><b>Order and buffering.</b> Bytes arrive whole and in order. Each end holds at most {@code limit} bytes
     *       that its peer wrote and it has not read (the stand-in for the kernel's buffers); beyond that the
     *       writer's {@link StreamWriter} buffers and its {@link StreamWriter#drain()} waits, as over a socket.
     *       {@code limit} is also each reader's {@link StreamReader#limit()}.
     *   <li><b>Ends.</b> {@link StreamWriter#writeEof()} on one end makes the other read the end of the stream after
     *       what was sent; closing one end does the same, and makes the other's later writes fail with
     *       {@link ConnectionLost} ("Broken pipe"). Bytes one end had not read when it closed are dropped.
     *   <li><b>Cancellation.</b> A cancelled read took nothing and a cancelled drain leaves the bytes buffered: the
     *       connection stays usable and no byte is lost.
     *   <li><b>Addresses.</b> Each end's {@code localAddress()} and {@code remoteAddress()} name the pair
     *       ({@code memory:7/a} and {@code memory:7/b}), so messages about a peer name it.
     * </ul>
     *
     * @param limit the most bytes each end buffers for its reader
     * @throws IllegalArgumentException if {@code limit} is not positive
     * @throws IllegalStateException if not called from a coroutine
     */
    public static ConnectionPair memoryPair(int limit) {
        if (limit <= 0) {
            throw new IllegalArgumentException("limit must be positive: " + limit);
        }
        EventLoop loop = currentLoop("Streams.memoryPair");
        MemoryTransport[] ends = MemoryTransport.pair(loop, limit);
        return new ConnectionPair(Connection.of(ends[0], limit, null), Connection.of(ends[1], limit, null));
    }

    private static EventLoop currentLoop(String what) {
        return (EventLoop) Suspension.currentTask(what).loop();
    }

    private static Transport withTimeout(ConnectOptions o, dev.spindle.task.Coroutine<Transport> connect) {
        Duration timeout = o.connectTimeout().orElse(null);
        if (timeout != null) {
            return TimeoutScope.after(timeout).run(connect);
        }
        try {
            return connect.call();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e); // Dialer throws no checked exception
        }
    }
}
