package dev.spindle.netty.internal;

import dev.spindle.task.Task;
import dev.spindle.task.internal.Suspension;
import io.netty.channel.IoEvent;
import io.netty.channel.IoRegistration;
import io.netty.channel.epoll.EpollIoHandle;
import io.netty.channel.unix.FileDescriptor;
import io.netty.channel.unix.Socket;
import io.netty.channel.uring.IoUringIoHandle;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;

/**
 * Not API: one native socket registered on a {@link NettyPoller}, what is known about its readiness, and the (at most)
 * two coroutines waiting for it: one to read or accept, one to write or finish connecting. Loop-confined: the handler
 * calls {@link #handle} inside the loop's poll, on the loop's thread; coroutines call the rest.
 *
 * <h2>Readiness, edge-triggered</h2>
 *
 * The driver reports edges (see {@link IoDriver}); this class keeps the level in {@code ready}. An event sets bits;
 * the socket's owner clears a bit when the system call finds nothing (a read that returns fewer bytes than it had
 * room for, or none; a write that takes nothing). Since every arrival of data (or of room to write) after that point
 * produces a new event, clearing on those results never loses a wake-up, and an event that arrived for data already
 * consumed costs one spare system call at most. {@link #await} waits only while the bit is clear.
 *
 * <p>A cancelled {@link #await} has nothing to withdraw: interest is permanent for the socket's life, so the socket
 * stays open and usable, and an event that arrived for the cancelled waiter stays recorded in {@code ready} for the
 * next one. This is the contract of core's {@code io.internal.Readiness}, without its per-wait interest changes.
 */
final class FdHandle implements EpollIoHandle, IoUringIoHandle {
    static final int READ = 1;
    static final int WRITE = 2;
    /**
     * Sticky: the peer ended its side, or the socket has an error or hung up. A read that returns fewer bytes than it
     * had room for does not clear it, because what is still pending (the end of the stream, the error) raises no
     * further edge: the data and the FIN often arrive under one event, and the FIN shows only to the read after.
     */
    static final int READ_END = 4;

    final Socket socket;
    final boolean listening;
    /** A Unix domain socket (addresses are paths), not TCP. */
    final boolean domain;

    private final NettyPoller poller;
    private IoRegistration registration;
    /** io_uring only: the user data of the multishot poll, which a {@code POLL_REMOVE} names. */
    long pollId;

    private int ready;
    private Task<?> reader;
    private Task<?> writer;
    private boolean closed;

    /** Registers {@code socket} on {@code poller}; on failure the socket is closed. */
    FdHandle(NettyPoller poller, Socket socket, boolean domain, boolean listening, int initiallyReady)
            throws IOException {
        this.poller = poller;
        this.socket = socket;
        this.domain = domain;
        this.listening = listening;
        this.ready = initiallyReady;
        try {
            this.registration = poller.register(this);
        } catch (IOException | RuntimeException e) {
            closeQuietly(socket);
            closed = true;
            throw e;
        }
    }

    NettyPoller poller() {
        return poller;
    }

    @Override
    public FileDescriptor fd() {
        return socket;
    }

    boolean isReady(int op) {
        return (ready & (op == READ ? READ | READ_END : op)) != 0;
    }

    /**
     * The last system call for {@code op} found nothing: wait for the next event before trying again (unless
     * {@link #READ_END} says the next read returns at once anyway).
     */
    void clear(int op) {
        ready &= ~op;
    }

    boolean isOpen() {
        return !closed;
    }

    /** @throws ClosedChannelException once closed: the descriptor's number may already belong to another socket */
    void checkOpen() throws ClosedChannelException {
        if (closed) {
            throw new ClosedChannelException();
        }
    }

    /**
     * Parks the current coroutine until {@code op} ({@link #READ} or {@link #WRITE}) is known ready or the socket is
     * closed. Returns at once if it already is.
     *
     * @throws dev.spindle.task.Cancelled if the task is cancelled first; the socket is left as it was
     * @throws ClosedChannelException if the socket is closed before or while this waits
     * @throws IllegalStateException if another coroutine already waits for the same direction
     */
    void await(int op, String what) throws ClosedChannelException {
        checkOpen();
        if (isReady(op)) {
            return;
        }
        Task<?> self = Suspension.currentTask(what);
        boolean in = op == READ;
        if (in ? reader != null : writer != null) {
            throw new IllegalStateException(what + ": another coroutine is already waiting to "
                    + (in ? "read from" : "write to") + " this socket; only one may at a time");
        }
        Suspension.checkCancel(self);
        if (in) {
            reader = self;
        } else {
            writer = self;
        }
        try {
            while (!isReady(op) && !closed) {
                if (!in) {
                    parkToWrite(self);
                } else if (listening) {
                    parkToAccept(self);
                } else {
                    parkToRead(self);
                }
                if (Suspension.cancelPending(self)) {
                    throw Suspension.takeCancel(self);
                }
            }
            checkOpen();
        } finally {
            if (in) {
                reader = null;
            } else {
                writer = null;
            }
        }
    }

    // One park method per kind of wait, with this handle as the park blocker: a task dump names the wait from the
    // method (socket-read, socket-write, socket-accept) and shows the socket's addresses from toString(), as it does
    // for core's NIO sockets.

    private void parkToRead(Task<?> self) {
        Suspension.park(self, this);
    }

    private void parkToWrite(Task<?> self) {
        Suspension.park(self, this);
    }

    private void parkToAccept(Task<?> self) {
        Suspension.park(self, this);
    }

    /** Called by the handler, on the loop's thread, inside the loop's poll. */
    @Override
    public void handle(IoRegistration r, IoEvent event) {
        int bits = poller.driver().readiness(this, r, event);
        if (bits == 0) {
            return;
        }
        ready |= bits;
        if ((bits & (READ | READ_END)) != 0 && reader != null) {
            Suspension.signal(reader);
        }
        if ((bits & WRITE) != 0 && writer != null) {
            Suspension.signal(writer);
        }
    }

    /**
     * Stops watching the socket, closes it and wakes its waiters, which fail with {@link ClosedChannelException}.
     * Idempotent. Also called by the handler when the loop closes with the socket still open.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            poller.driver().disarm(registration, this);
        } catch (RuntimeException ignored) {
            // the handler is going away, or the descriptor already is: closing it below is what matters
        }
        closeQuietly(socket);
        if (reader != null) {
            Suspension.signal(reader);
        }
        if (writer != null) {
            Suspension.signal(writer);
        }
    }

    static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // close(2) releases the descriptor even when it reports an error; nobody could act on it
        }
    }

    /**
     * The socket as task dumps show what a coroutine waits on: {@code NettySocket[connected local=/127.0.0.1:41000
     * remote=/127.0.0.1:6379, fd 12]}, {@code NettySocket[listening local=..., fd 9]}. Called from any thread (a dump):
     * reads the addresses from the system, never the loop's state.
     */
    @Override
    public String toString() {
        if (closed) {
            return "NettySocket[closed, fd " + socket.intValue() + "]";
        }
        StringBuilder sb = new StringBuilder("NettySocket[");
        try {
            sb.append(listening ? "listening" : "connected").append(" local=").append(Addresses.local(socket, domain));
            java.net.SocketAddress remote = listening ? null : Addresses.remote(socket, domain);
            if (remote != null) { // an unconnected datagram socket has none
                sb.append(" remote=").append(remote);
            }
        } catch (RuntimeException closedMeanwhile) {
            sb.append("addresses unavailable");
        }
        return sb.append(", fd ").append(socket.intValue()).append(']').toString();
    }
}
