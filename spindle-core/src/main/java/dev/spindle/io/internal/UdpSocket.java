package dev.spindle.io.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;

/**
 * Not API: one UDP socket as a {@link NetBackend} carries it (a JDK {@code DatagramChannel} on the loop's selector, a
 * native socket on Netty's {@code IoHandler}): the datagram counterpart of {@link Transport}. {@link DatagramTransport}
 * builds the endpoint's behaviour on it (several coroutines at once, the fairness budget); a backend supplies only
 * what differs: the system calls and how to wait for readiness.
 *
 * {@snippet :
 * UdpSocket s = NetBackend.current().openUdp(loop, local, null, false, false, false);
 * InetSocketAddress from;
 * while ((from = s.tryReceive(buf)) == null) {
 *     s.awaitReceivable("receive"); // parks this coroutine; the loop runs others
 * }
 * }
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li>Loop-confined: every method runs on the loop's thread, and the waiting ones in one of its coroutines.
 *   <li>The {@code try} methods never wait. A datagram is taken only by a {@code tryReceive} that returns its sender,
 *       and sent whole or not at all.
 *   <li>At most one coroutine waits per direction: a second {@link #awaitReceivable} (or {@link #awaitSendable})
 *       while one waits fails with {@link IllegalStateException}. Several waiters queue above this, in
 *       {@link DatagramTransport}.
 *   <li>A wait may end without the socket being ready (readiness is a hint): callers try again, and wait again if
 *       the {@code try} call finds nothing.
 *   <li>A cancelled wait (a {@code Cancelled} thrown where it parked) took nothing and leaves the socket open and
 *       usable; whatever readiness arrived for it is kept for the next try.
 * </ul>
 *
 * <h2>Errors</h2>
 * After {@link #close()} every call fails with {@link ClosedChannelException}, and waiters are woken to fail so. On a
 * connected socket, a datagram the peer's host refused (ICMP port unreachable) makes the next {@code tryReceive} or
 * {@code trySend} fail once with {@link java.net.PortUnreachableException}; the socket stays usable. Other system
 * errors are {@link java.net.SocketException}s with the system's message ("Message too long", for instance).
 */
public interface UdpSocket extends AutoCloseable {
    /**
     * Takes the next queued datagram into {@code dst} without waiting, and returns its sender; {@code null} if none is
     * queued. A datagram longer than {@code dst.remaining()} is cut short, silently (neither backend can tell).
     */
    InetSocketAddress tryReceive(ByteBuffer dst) throws IOException;

    /**
     * Sends {@code src} as one datagram without waiting: to {@code to}, or to the connected peer when {@code to} is
     * {@code null} (a connected socket is always given {@code null}). Returns {@code true} and consumes {@code src} if
     * it was sent; returns {@code false} and leaves {@code src} as it was if the send buffer is full. An empty
     * datagram always reports {@code true}: the system reports "nothing sent" for it either way.
     */
    boolean trySend(ByteBuffer src, InetSocketAddress to) throws IOException;

    /**
     * Parks the current coroutine until a datagram may be queued, or the socket is closed.
     *
     * @throws dev.spindle.task.Cancelled if the task is cancelled first; nothing was taken
     * @throws ClosedChannelException if the socket is closed before or while this waits
     * @throws IllegalStateException if another coroutine already waits to receive
     */
    void awaitReceivable(String what) throws ClosedChannelException;

    /** {@link #awaitReceivable} for room in the send buffer. */
    void awaitSendable(String what) throws ClosedChannelException;

    /** Receives one datagram into {@code dst}, waiting until one arrives; the single-waiter form of the two above. */
    default InetSocketAddress receive(ByteBuffer dst) throws IOException {
        InetSocketAddress from;
        while ((from = tryReceive(dst)) == null) {
            awaitReceivable("receive");
        }
        return from;
    }

    /** Sends {@code src} as one datagram, waiting while the send buffer is full. */
    default void send(ByteBuffer src, InetSocketAddress to) throws IOException {
        while (!trySend(src, to)) {
            awaitSendable("send");
        }
    }

    /** The address the socket is bound to (after {@code connect}, the local address the route chose). */
    InetSocketAddress localAddress();

    /** The connected peer, or {@code null}. */
    InetSocketAddress remoteAddress();

    boolean isOpen();

    /** Closes the socket at once; coroutines waiting on it fail with {@link ClosedChannelException}. Idempotent. */
    @Override
    void close();
}
