package dev.spindle.io.internal;

import dev.spindle.loop.internal.EventLoop;
import dev.spindle.sync.internal.WaitQueue;
import dev.spindle.task.Task;
import dev.spindle.task.Tasks;
import dev.spindle.task.internal.Suspension;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.time.Duration;
import java.util.function.BiFunction;

/**
 * Not API: a UDP socket on the loop's own {@link SelectorPoller}: a non-blocking {@link DatagramChannel} that
 * coroutines wait on through {@link Readiness}. Loop-confined: every method runs on the loop's thread, and the
 * waiting ones in a coroutine.
 *
 * <h2>Waiting</h2>
 * {@link #receive} and {@link #send} first try the channel, and wait for readiness only when it has nothing to give
 * (no datagram queued, or a full send buffer). A {@link Readiness} takes one waiter per direction, so further
 * coroutines wait in a line behind the one waiting for readiness; when that one leaves (ready, cancelled or
 * failed) the whole line retries, and one of them takes its place. Concurrent receivers are rare, so the herd costs
 * little, and the rule "anyone in the line is woken when the readiness waiter leaves" is easy to keep true.
 *
 * <p>Cancellation takes nothing from the socket: a datagram is taken only by a successful {@code receive} call, and
 * sent whole or not at all.
 *
 * <h2>Fairness</h2>
 * Operations that succeed without waiting do not suspend, so a coroutine receiving from a socket that never runs dry
 * (or sending in a loop) would hold the loop; after {@value #BUDGET} such operations in a row, one yields to the other
 * ready coroutines (a {@code sleep(0)}, which is also a cancellation point), as tokio's cooperative budget does.
 */
public final class DatagramTransport {
    /**
     * The receive buffer: larger than the largest UDP payload (65,507 bytes over IPv4, 65,527 over IPv6 without
     * jumbograms), so that {@link #receive()} never truncates.
     */
    public static final int MAX_DATAGRAM = 64 * 1024;

    /** Operations without a wait before one yields. */
    static final int BUDGET = 64;

    private final EventLoop loop;
    private final DatagramChannel channel;
    private final Readiness readiness;
    private final InetSocketAddress local;
    private final InetSocketAddress remote;
    private final WaitQueue receiveLine = new WaitQueue();
    private final WaitQueue sendLine = new WaitQueue();
    /** A coroutine of this transport waits in {@link Readiness#await} to receive, or to send. */
    private boolean receiving;

    private boolean sending;
    private ByteBuffer receiveBuffer;
    private int streak;

    private DatagramTransport(EventLoop loop, DatagramChannel channel, Readiness readiness, InetSocketAddress remote)
            throws IOException {
        this.loop = loop;
        this.channel = channel;
        this.readiness = readiness;
        this.local = (InetSocketAddress) channel.getLocalAddress();
        this.remote = remote;
    }

    /**
     * Opens a UDP socket bound to {@code local} ({@code null} for any port; a wildcard address binds every local
     * address, IPv4 and IPv6 where the system has both), connected
     * to {@code remote} if that is not {@code null}, and registers it with the loop's selector. Both addresses must
     * be resolved. Loop thread only.
     */
    public static DatagramTransport open(
            EventLoop loop,
            InetSocketAddress local,
            InetSocketAddress remote,
            boolean reuseAddress,
            boolean reusePort,
            boolean broadcast)
            throws IOException {
        loop.checkThread("opening a datagram endpoint");
        SelectorPoller poller = SelectorPoller.of(loop);
        ProtocolFamily family = family(local, remote);
        DatagramChannel ch = family == null ? DatagramChannel.open() : DatagramChannel.open(family);
        try {
            if (reuseAddress) {
                ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            }
            if (reusePort && ch.supportedOptions().contains(StandardSocketOptions.SO_REUSEPORT)) {
                ch.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            }
            if (broadcast) {
                ch.setOption(StandardSocketOptions.SO_BROADCAST, true);
            }
            ch.bind(local);
            if (remote != null) {
                ch.connect(remote); // UDP's connect only records the peer: it does not wait
            }
            Readiness r = poller.register(ch);
            return new DatagramTransport(loop, ch, r, remote);
        } catch (IOException | RuntimeException e) {
            try {
                ch.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /**
     * The family a socket needs: that of a specific local address, else that of the peer, else {@code null} (the
     * system default, dual-stack where IPv6 is there).
     */
    private static ProtocolFamily family(InetSocketAddress local, InetSocketAddress remote) {
        if (local != null && local.getAddress() != null && !local.getAddress().isAnyLocalAddress()) {
            return local.getAddress() instanceof Inet4Address
                    ? StandardProtocolFamily.INET
                    : StandardProtocolFamily.INET6;
        }
        if (remote != null) {
            return remote.getAddress() instanceof Inet4Address
                    ? StandardProtocolFamily.INET
                    : StandardProtocolFamily.INET6;
        }
        return null;
    }

    /**
     * Receives one datagram into {@code dst}, waiting until one arrives, and returns its sender. A datagram longer
     * than {@code dst} has room for is cut short, silently (the JDK cannot tell).
     *
     * @throws ClosedChannelException if the socket is closed before or while this waits
     * @throws java.net.PortUnreachableException on a connected socket, when an earlier datagram was refused
     */
    public InetSocketAddress receive(ByteBuffer dst) throws IOException {
        return receive(dst, false);
    }

    /**
     * Receives one datagram, whole, into this transport's own buffer of {@value #MAX_DATAGRAM} bytes, waiting until
     * one arrives, and returns what {@code into} makes of its payload (the buffer, flipped, valid only during the
     * call) and sender.
     */
    public <R> R receive(BiFunction<ByteBuffer, InetSocketAddress, R> into) throws IOException {
        ByteBuffer b = receiveBuffer;
        if (b == null) {
            b = receiveBuffer = ByteBuffer.allocateDirect(MAX_DATAGRAM);
        }
        InetSocketAddress from = receive(b, true);
        b.flip();
        return into.apply(b, from); // at once: another receiver may fill the buffer after this one suspends
    }

    private InetSocketAddress receive(ByteBuffer dst, boolean clearEachTry) throws IOException {
        Task<?> self = Suspension.currentTask("DatagramEndpoint.receive");
        loop.checkThread("DatagramEndpoint.receive");
        yieldIfBudgetSpent();
        while (true) {
            if (clearEachTry) {
                dst.clear(); // the shared buffer: another receiver may have used it while this one waited
            }
            InetSocketAddress from = (InetSocketAddress) channel.receive(dst);
            if (from != null) {
                streak++;
                return from;
            }
            streak = 0;
            if (receiving) {
                receiveLine.park(self, null);
                continue;
            }
            receiving = true;
            try {
                readiness.await(SelectionKey.OP_READ, "DatagramEndpoint.receive");
            } finally {
                receiving = false;
                receiveLine.wakeAll(Boolean.TRUE);
            }
        }
    }

    /**
     * Sends {@code src} as one datagram to {@code to} (resolved), or to the connected peer if {@code to} is
     * {@code null}, waiting only while the socket's send buffer is full. An empty datagram is sent once and never
     * waits (the JDK reports "nothing sent" for it either way).
     *
     * @throws ClosedChannelException if the socket is closed before or while this waits
     * @throws java.net.PortUnreachableException on a connected socket, when an earlier datagram was refused
     */
    public void send(ByteBuffer src, InetSocketAddress to) throws IOException {
        Task<?> self = Suspension.currentTask("DatagramEndpoint.send");
        loop.checkThread("DatagramEndpoint.send");
        boolean empty = !src.hasRemaining();
        yieldIfBudgetSpent();
        while (true) {
            int n = to == null ? channel.write(src) : channel.send(src, to);
            if (n > 0 || empty) {
                streak++;
                return;
            }
            streak = 0;
            if (sending) {
                sendLine.park(self, null);
                continue;
            }
            sending = true;
            try {
                readiness.await(SelectionKey.OP_WRITE, "DatagramEndpoint.send");
            } finally {
                sending = false;
                sendLine.wakeAll(Boolean.TRUE);
            }
        }
    }

    /**
     * Yields once {@value #BUDGET} operations in a row went without waiting. Before the operation, not after: a
     * datagram taken is never held across a suspension.
     */
    private void yieldIfBudgetSpent() {
        if (streak >= BUDGET) {
            streak = 0;
            Tasks.sleep(Duration.ZERO);
        }
    }

    public InetSocketAddress localAddress() {
        return local;
    }

    /** The connected peer, or {@code null}. */
    public InetSocketAddress remoteAddress() {
        return remote;
    }

    public boolean isOpen() {
        return channel.isOpen();
    }

    /** Closes the socket; coroutines waiting on it fail with {@link ClosedChannelException}. Idempotent. */
    public void close() {
        loop.checkThread("DatagramEndpoint.close");
        if (!channel.isOpen()) {
            return;
        }
        try {
            channel.close(); // cancels the key, so the waiters below find it invalid
        } catch (IOException ignored) {
            // the descriptor is released all the same
        }
        readiness.closed();
        receiveLine.wakeAll(Boolean.TRUE);
        sendLine.wakeAll(Boolean.TRUE);
    }

    /** The channel, for socket options and tests. */
    public DatagramChannel channel() {
        return channel;
    }
}
