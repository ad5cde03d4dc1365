package dev.spindle.io.internal;

import dev.spindle.loop.internal.EventLoop;
import dev.spindle.sync.internal.WaitQueue;
import dev.spindle.task.Task;
import dev.spindle.task.Tasks;
import dev.spindle.task.internal.Suspension;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AlreadyConnectedException;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.function.BiFunction;

/**
 * Not API: a UDP endpoint's socket as coroutines share it: a {@link UdpSocket} of the loop's {@link NetBackend}
 * ({@link NetBackend#current()}), which any number of the loop's coroutines may receive from and send to at once.
 * Loop-confined: every method runs on the loop's thread, and the waiting ones in a coroutine.
 *
 * {@snippet :
 * DatagramTransport t = DatagramTransport.open(loop, new InetSocketAddress("127.0.0.1", 0), null, false, false, false);
 * InetSocketAddress from = t.receive(buffer); // parks this coroutine until a datagram arrives
 * }
 *
 * <h2>Waiting</h2>
 * {@link #receive} and {@link #send} first try the socket, and wait for readiness only when it has nothing to give
 * (no datagram queued, or a full send buffer). A {@link UdpSocket} takes one waiter per direction, so further
 * coroutines wait in a line behind the one waiting for readiness; when that one leaves (ready, cancelled or
 * failed) the whole line retries, and one of them takes its place. Concurrent receivers are rare, so the herd costs
 * little, and the rule "anyone in the line is woken when the readiness waiter leaves" is easy to keep true.
 *
 * <p>Cancellation takes nothing from the socket: a datagram is taken only by a successful {@code tryReceive}, and
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
     * jumbograms), so that {@link #receive(BiFunction)} never truncates.
     */
    public static final int MAX_DATAGRAM = 64 * 1024;

    /** Operations without a wait before one yields. */
    static final int BUDGET = 64;

    private final EventLoop loop;
    private final UdpSocket socket;
    private final WaitQueue receiveLine = new WaitQueue();
    private final WaitQueue sendLine = new WaitQueue();
    /** A coroutine of this transport waits in {@link UdpSocket#awaitReceivable}, or {@link UdpSocket#awaitSendable}. */
    private boolean receiving;

    private boolean sending;
    /** Shared by {@link #receive(BiFunction)} callers: filled and read within one call, never across a park. */
    private ByteBuffer receiveBuffer;
    /** Operations in a row that did not wait. */
    private int streak;

    /** Wraps {@code socket}, which {@code loop}'s backend opened; the transport owns it from here on. */
    public DatagramTransport(EventLoop loop, UdpSocket socket) {
        this.loop = loop;
        this.socket = socket;
    }

    /**
     * Opens a UDP socket with the current {@link NetBackend}: bound to {@code local} ({@code null} for any address and
     * port; a wildcard address binds every local address, IPv4 and IPv6 where the system has both), connected to
     * {@code remote} if that is not {@code null}. Both addresses must be resolved. Loop thread only.
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
        UdpSocket s = NetBackend.current().openUdp(loop, local, remote, reuseAddress, reusePort, broadcast);
        return new DatagramTransport(loop, s);
    }

    /**
     * Receives one datagram into {@code dst}, waiting until one arrives, and returns its sender. A datagram longer
     * than {@code dst} has room for is cut short, silently (the system call cannot tell).
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
            InetSocketAddress from = socket.tryReceive(dst);
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
                socket.awaitReceivable("DatagramEndpoint.receive");
            } finally {
                receiving = false;
                receiveLine.wakeAll(Boolean.TRUE);
            }
        }
    }

    /**
     * Sends {@code src} as one datagram to {@code to} (resolved), or to the connected peer if {@code to} is
     * {@code null}, waiting only while the socket's send buffer is full. An empty datagram is sent once and never
     * waits (the system reports "nothing sent" for it either way).
     *
     * @throws ClosedChannelException if the socket is closed before or while this waits
     * @throws AlreadyConnectedException on a connected socket, if {@code to} is not its peer
     * @throws java.net.PortUnreachableException on a connected socket, when an earlier datagram was refused
     */
    public void send(ByteBuffer src, InetSocketAddress to) throws IOException {
        Task<?> self = Suspension.currentTask("DatagramEndpoint.send");
        loop.checkThread("DatagramEndpoint.send");
        InetSocketAddress peer = socket.remoteAddress();
        if (to != null && peer != null) {
            if (!to.equals(peer)) {
                throw new AlreadyConnectedException();
            }
            to = null; // a connected socket sends to its peer: no address to pass on each call
        }
        yieldIfBudgetSpent();
        while (true) {
            if (socket.trySend(src, to)) {
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
                socket.awaitSendable("DatagramEndpoint.send");
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
        return socket.localAddress();
    }

    /** The connected peer, or {@code null}. */
    public InetSocketAddress remoteAddress() {
        return socket.remoteAddress();
    }

    public boolean isOpen() {
        return socket.isOpen();
    }

    /** Closes the socket; coroutines waiting on it fail with {@link ClosedChannelException}. Idempotent. */
    public void close() {
        loop.checkThread("DatagramEndpoint.close");
        if (!socket.isOpen()) {
            return;
        }
        socket.close(); // wakes the readiness waiters, which then fail
        receiveLine.wakeAll(Boolean.TRUE);
        sendLine.wakeAll(Boolean.TRUE);
    }

    /** Coroutines waiting to receive: the one waiting for readiness and those in line behind it (for tests). */
    public int waitingReceivers() {
        return receiveLine.size() + (receiving ? 1 : 0);
    }

    /** Coroutines waiting to send, as {@link #waitingReceivers()} counts them. */
    public int waitingSenders() {
        return sendLine.size() + (sending ? 1 : 0);
    }

    /** The backend's socket (for tests). */
    public UdpSocket socket() {
        return socket;
    }

    @Override
    public String toString() {
        return "DatagramTransport[" + socket + "]";
    }
}
