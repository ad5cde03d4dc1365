package dev.spindle.io;

import dev.spindle.gen.AsyncIterable;
import dev.spindle.gen.AsyncIterator;
import dev.spindle.io.internal.DatagramTransport;
import dev.spindle.loop.internal.EventLoop;
import dev.spindle.task.Tasks;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;

/**
 * A UDP socket for coroutines: asyncio's {@code create_datagram_endpoint}, written as plain calls instead of a
 * protocol's callbacks. {@link #bind} makes an endpoint that receives from anyone and sends anywhere;
 * {@link #connect} one that talks to a single peer. Iterating it receives datagrams until it is closed.
 *
 * {@snippet :
 * run(() -> {
 *     try (DatagramEndpoint server = DatagramEndpoint.bind("127.0.0.1", 9999)) {
 *         for (Datagram d : server) { // each step waits for the next datagram; ends when the endpoint is closed
 *             server.send(d.data(), d.sender()); // echo
 *         }
 *     }
 * });
 * // elsewhere, in a coroutine:
 * try (DatagramEndpoint client = DatagramEndpoint.connect("127.0.0.1", 9999)) {
 *     client.send("ping".getBytes(UTF_8));
 *     System.out.println(client.receive().text()); // ping
 * }
 * }
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li>Made in a coroutine, and confined to its loop: {@code send} and {@code receive} are called from that
 *       loop's coroutines, {@link #close()} and the accessors also from its callbacks; elsewhere they fail with
 *       {@link IllegalStateException}. The socket is non-blocking and watched by the loop's own I/O poller (the JDK
 *       selector, or Netty's epoll or io_uring with {@code -Dspindle.io.backend=netty}), so waiting never holds the
 *       loop.
 *   <li>{@code send} does not wait unless the socket's send buffer is full; it then waits until there is room. A
 *       datagram is sent whole or not at all.
 *   <li>{@code receive} waits until a datagram arrives and returns it with its sender. {@link #receive()} receives
 *       into a buffer of 64 KiB, larger than any UDP payload, so it never cuts one short; {@link #receive(ByteBuffer)}
 *       cuts a datagram longer than the room in its buffer, silently: the receive cannot tell (no backend asks
 *       for {@code MSG_TRUNC}), so give it 64 KiB unless the protocol bounds its messages.
 *   <li>Several coroutines may receive (or send) at once: each datagram goes to one of them.
 *   <li>Host names are resolved on the loop's thread pool ({@code toThread}), never on the loop; literal addresses
 *       are used as they are. {@code send} resolves an unresolved {@link InetSocketAddress} each time: resolve
 *       once with {@link #resolve} when sending to the same name often.
 *   <li>A coroutine that keeps receiving (or sending) without ever waiting, from a socket that never runs dry,
 *       yields to the others before every 64th operation, so it cannot hold the loop; that yield is a cancellation
 *       point like any wait.
 * </ul>
 *
 * <h2>Cancellation</h2>
 * A cancelled {@code receive} took nothing: the datagram that was about to arrive stays queued in the socket for
 * the next {@code receive}. A cancelled {@code send} sent nothing. Either way the endpoint stays usable. The same
 * holds for a timeout ({@code withTimeout}) around them.
 *
 * <h2>Errors</h2>
 * Failures are {@link UncheckedIOException}s whose message names the endpoint and, where there is one, the peer:
 * <ul>
 *   <li>on a closed endpoint (closed before or while waiting), the cause is a {@link ClosedChannelException};
 *       for-each iteration just ends instead;
 *   <li>on a connected endpoint, when an earlier datagram was refused by the peer's host (ICMP port unreachable:
 *       nothing listens there), the next {@code receive} or {@code send} fails once with a
 *       {@link PortUnreachableException} cause, and the endpoint stays usable. An unconnected endpoint never hears
 *       of refused datagrams (the system does not report them), as in asyncio;
 *   <li>an unknown host name fails with an {@link UnknownHostException} cause.
 * </ul>
 *
 * <h2>Pitfalls</h2>
 * UDP may drop datagrams: when a receiver's socket buffer is full, for instance, even on the loopback interface.
 * Close endpoints ({@code try}-with-resources): the loop does not close them when it ends.
 */
public final class DatagramEndpoint implements AsyncIterable<Datagram>, AutoCloseable {
    private final DatagramTransport transport;
    private final String description;

    private DatagramEndpoint(DatagramTransport transport) {
        this.transport = transport;
        InetSocketAddress peer = transport.remoteAddress();
        this.description = "datagram endpoint " + transport.localAddress() + (peer == null ? "" : " -> " + peer);
    }

    // ---- making one -------------------------------------------------------------------------------------

    /**
     * Binds a UDP socket to {@code host} and {@code port}, to receive from anyone and send anywhere.
     *
     * @param host a host name or literal address; {@code null} or {@code ""} for every local address (IPv4 and
     *     IPv6, where the system has both)
     * @param port the port, or 0 for one the system picks (see {@link #localAddress()})
     * @throws UncheckedIOException if the name cannot be resolved or the address cannot be bound
     * @throws IllegalStateException outside a coroutine
     */
    public static DatagramEndpoint bind(String host, int port) {
        return bind(host, port, Options.defaults());
    }

    /** {@link #bind(String, int)} with {@code options}; {@link Options#localAddress} must not be set. */
    public static DatagramEndpoint bind(String host, int port, Options options) {
        Objects.requireNonNull(options, "options");
        if (options.localHost != null || options.localPort != 0) {
            throw new IllegalArgumentException(
                    "bind takes its local address as arguments: Options.localAddress is for connect only");
        }
        EventLoop loop = currentLoop("DatagramEndpoint.bind");
        InetSocketAddress local = new InetSocketAddress(resolveHost(host), checkPort(port));
        return open(loop, local, null, options);
    }

    /**
     * Opens a UDP socket connected to {@code host} and {@code port} (connected UDP): it sends there with
     * {@link #send(byte[])}, receives only from there, and hears of refused datagrams. Nothing is sent: UDP's
     * connect only records the peer.
     *
     * @throws UncheckedIOException if the name cannot be resolved
     * @throws IllegalStateException outside a coroutine
     */
    public static DatagramEndpoint connect(String host, int port) {
        return connect(host, port, Options.defaults());
    }

    /** {@link #connect(String, int)} with {@code options}, which may set the local address to bind first. */
    public static DatagramEndpoint connect(String host, int port, Options options) {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(options, "options");
        EventLoop loop = currentLoop("DatagramEndpoint.connect");
        InetSocketAddress remote = new InetSocketAddress(resolveHost(host), checkPort(port));
        InetSocketAddress local = options.localHost == null && options.localPort == 0
                ? null
                : new InetSocketAddress(resolveHost(options.localHost), options.localPort);
        return open(loop, local, remote, options);
    }

    private static DatagramEndpoint open(EventLoop loop, InetSocketAddress local, InetSocketAddress remote, Options o) {
        try {
            return new DatagramEndpoint(
                    DatagramTransport.open(loop, local, remote, o.reuseAddress, o.reusePort, o.broadcast));
        } catch (IOException e) {
            String where = remote == null ? "bind UDP " + local : "connect UDP to " + remote;
            throw new UncheckedIOException("cannot " + where + ": " + e.getMessage(), e);
        }
    }

    private static EventLoop currentLoop(String what) {
        EventLoop loop = EventLoop.currentOrNull();
        if (loop == null || !loop.inLoopThread()) {
            throw new IllegalStateException(
                    what + " must be called from a coroutine, not from " + Thread.currentThread());
        }
        return loop;
    }

    private static int checkPort(int port) {
        if (port < 0 || port > 0xFFFF) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        return port;
    }

    /**
     * Resolves {@code host} and {@code port} into an address {@code send} can use, without blocking the loop: a
     * literal address at once, a name on the loop's thread pool.
     *
     * @throws UncheckedIOException with an {@link UnknownHostException} cause if the name is unknown
     */
    public static InetSocketAddress resolve(String host, int port) {
        Objects.requireNonNull(host, "host");
        currentLoop("DatagramEndpoint.resolve");
        return new InetSocketAddress(resolveHost(host), checkPort(port));
    }

    /** {@code null} (any address) for {@code null} or {@code ""}; a literal directly; a name on the thread pool. */
    private static InetAddress resolveHost(String host) {
        if (host == null || host.isEmpty()) {
            return null;
        }
        String h = host.length() > 2 && host.startsWith("[") && host.endsWith("]")
                ? host.substring(1, host.length() - 1)
                : host;
        try {
            return InetAddress.ofLiteral(h);
        } catch (IllegalArgumentException notLiteral) {
            // a name: look it up off the loop
        }
        try {
            return Tasks.toThread(() -> InetAddress.getByName(h));
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) { // toThread rethrows the lookup's own exception unchanged
            throw new UncheckedIOException(
                    "cannot resolve host name '" + h + "': " + e.getMessage(),
                    e instanceof IOException io ? io : new IOException(e));
        }
    }

    // ---- sending ----------------------------------------------------------------------------------------

    /**
     * Sends {@code data} as one datagram to {@code to}, waiting only while the socket's send buffer is full. An
     * unresolved {@link InetSocketAddress} is resolved first, off the loop.
     *
     * @throws UncheckedIOException if the endpoint is closed, the datagram is too large (over 65,507 bytes for
     *     IPv4), or (connected endpoints) an earlier datagram was refused
     * @throws java.nio.channels.AlreadyConnectedException on a connected endpoint, for another address than its
     *     peer
     */
    public void send(byte[] data, SocketAddress to) {
        Objects.requireNonNull(data, "data");
        InetSocketAddress target = target(to);
        try {
            transport.send(ByteBuffer.wrap(data), target);
        } catch (IOException e) {
            throw failure("send to " + target, e, target);
        }
    }

    /**
     * Sends {@code data} as one datagram to the connected peer, waiting only while the socket's send buffer is full.
     *
     * @throws IllegalStateException if the endpoint is not connected
     * @throws UncheckedIOException as {@link #send(byte[], SocketAddress)} does
     */
    public void send(byte[] data) {
        Objects.requireNonNull(data, "data");
        InetSocketAddress peer = transport.remoteAddress();
        if (peer == null) {
            throw new IllegalStateException(description + " is not connected: use send(data, to)");
        }
        try {
            transport.send(ByteBuffer.wrap(data), null);
        } catch (IOException e) {
            throw failure("send", e, peer);
        }
    }

    private static InetSocketAddress target(SocketAddress to) {
        Objects.requireNonNull(to, "to");
        if (!(to instanceof InetSocketAddress isa)) {
            throw new IllegalArgumentException("a UDP endpoint sends to an InetSocketAddress, not " + to);
        }
        return isa.isUnresolved() ? new InetSocketAddress(resolveHost(isa.getHostString()), isa.getPort()) : isa;
    }

    // ---- receiving --------------------------------------------------------------------------------------

    /**
     * Waits for the next datagram and returns it, whole, with its sender.
     *
     * @throws UncheckedIOException if the endpoint is closed (before or while waiting), or (connected endpoints) an
     *     earlier datagram was refused
     * @throws dev.spindle.task.Cancelled if cancelled while waiting: no datagram was taken
     */
    public Datagram receive() {
        Datagram d = receiveOrNull();
        if (d == null) {
            throw closed();
        }
        return d;
    }

    /** The next datagram, or {@code null} once the endpoint is closed. */
    private Datagram receiveOrNull() {
        try {
            return transport.receive((payload, from) -> {
                byte[] data = new byte[payload.remaining()];
                payload.get(data);
                return new Datagram(data, from);
            });
        } catch (ClosedChannelException e) {
            return null;
        } catch (IOException e) {
            throw failure("receive", e, transport.remoteAddress());
        }
    }

    /**
     * Waits for the next datagram, copies its payload into {@code dst} and returns its sender. A payload longer
     * than {@code dst.remaining()} is cut short, silently.
     *
     * @throws UncheckedIOException as {@link #receive()} does
     */
    public InetSocketAddress receive(ByteBuffer dst) {
        Objects.requireNonNull(dst, "dst");
        try {
            return transport.receive(dst);
        } catch (IOException e) {
            throw failure("receive", e, transport.remoteAddress());
        }
    }

    /**
     * The datagrams as they arrive, for a for-each loop: each step waits for the next one, and the iteration ends
     * when the endpoint is closed. Each call gives a new iterator; several may receive at once.
     *
     * <p>Cancelling a step takes nothing from the socket. {@link AsyncIterator#close()} ends this iteration only
     * (the endpoint stays open); a datagram that {@code hasNext()} already received and {@code next()} did not take
     * is then dropped.
     */
    @Override
    public AsyncIterator<Datagram> iterator() {
        return new AsyncIterator<>() {
            private Datagram next;
            private boolean done;

            @Override
            public boolean hasNext() {
                if (next != null) {
                    return true;
                }
                if (done) {
                    return false;
                }
                next = receiveOrNull();
                done = next == null;
                return !done;
            }

            @Override
            public Datagram next() {
                if (!hasNext()) {
                    throw new NoSuchElementException(description + " is closed");
                }
                Datagram d = next;
                next = null;
                return d;
            }

            @Override
            public void close() {
                done = true;
                next = null;
            }
        };
    }

    // ---- state ------------------------------------------------------------------------------------------

    /** The local address and port the socket is bound to. */
    public InetSocketAddress localAddress() {
        return transport.localAddress();
    }

    /** The peer of a connected endpoint; empty for a bound one. */
    public Optional<InetSocketAddress> remoteAddress() {
        return Optional.ofNullable(transport.remoteAddress());
    }

    /** Whether the endpoint is open. */
    public boolean isOpen() {
        return transport.isOpen();
    }

    /**
     * Closes the socket. Coroutines waiting to receive or send fail with a closed-endpoint error (iterations end).
     * Idempotent; never waits. Loop thread only.
     */
    @Override
    public void close() {
        transport.close();
    }

    private UncheckedIOException closed() {
        return new UncheckedIOException(description + " is closed", new ClosedChannelException());
    }

    private UncheckedIOException failure(String what, IOException e, InetSocketAddress peer) {
        if (e instanceof ClosedChannelException) {
            return new UncheckedIOException(description + " is closed", e);
        }
        if (e instanceof PortUnreachableException) {
            return new UncheckedIOException(
                    "UDP peer " + peer + " is unreachable (ICMP port unreachable: nothing listens there); reported to "
                            + description,
                    e);
        }
        return new UncheckedIOException(description + ": " + what + " failed: " + e.getMessage(), e);
    }

    @Override
    public String toString() {
        return "DatagramEndpoint[" + description.substring("datagram endpoint ".length()) + (isOpen() ? "" : ", closed")
                + "]";
    }

    /**
     * Socket options for {@link #bind(String, int, Options)} and {@link #connect(String, int, Options)}. Immutable:
     * each setter returns a changed copy.
     *
     * {@snippet :
     * DatagramEndpoint ep = DatagramEndpoint.bind(null, 5000, Options.defaults().reuseAddress(true).broadcast(true));
     * }
     */
    public static final class Options {
        private static final Options DEFAULTS = new Options(false, false, false, null, 0);

        private final boolean reuseAddress;
        private final boolean reusePort;
        private final boolean broadcast;
        private final String localHost;
        private final int localPort;

        private Options(boolean reuseAddress, boolean reusePort, boolean broadcast, String localHost, int localPort) {
            this.reuseAddress = reuseAddress;
            this.reusePort = reusePort;
            this.broadcast = broadcast;
            this.localHost = localHost;
            this.localPort = localPort;
        }

        /** No option set: the system's defaults, any local address for {@code connect}. */
        public static Options defaults() {
            return DEFAULTS;
        }

        /** {@code SO_REUSEADDR}: bind an address another socket has (or recently had) bound. */
        public Options reuseAddress(boolean on) {
            return new Options(on, reusePort, broadcast, localHost, localPort);
        }

        public boolean reuseAddress() {
            return reuseAddress;
        }

        /**
         * {@code SO_REUSEPORT}: several sockets (all with it) bind the same address and port, and the system spreads
         * incoming datagrams among them. Ignored where the system lacks it.
         */
        public Options reusePort(boolean on) {
            return new Options(reuseAddress, on, broadcast, localHost, localPort);
        }

        public boolean reusePort() {
            return reusePort;
        }

        /** {@code SO_BROADCAST}: allow sending to broadcast addresses. */
        public Options broadcast(boolean on) {
            return new Options(reuseAddress, reusePort, on, localHost, localPort);
        }

        public boolean broadcast() {
            return broadcast;
        }

        /**
         * For {@code connect}: the local address and port to bind before connecting ({@code null} host for any
         * address, port 0 for any port). {@code bind} takes its address as arguments instead.
         */
        public Options localAddress(String host, int port) {
            return new Options(reuseAddress, reusePort, broadcast, host, checkPort(port));
        }

        /** The local host set by {@link #localAddress}, or {@code null}. */
        public String localHost() {
            return localHost;
        }

        /** The local port set by {@link #localAddress}, or 0. */
        public int localPort() {
            return localPort;
        }

        @Override
        public String toString() {
            return "Options[reuseAddress=" + reuseAddress + ", reusePort=" + reusePort + ", broadcast=" + broadcast
                    + (localHost == null && localPort == 0 ? "" : ", local=" + localHost + ":" + localPort) + "]";
        }
    }
}
