package dev.spindle.bench.jdkpoller;

import dev.spindle.io.internal.Transport;
import dev.spindle.task.Cancelled;
import dev.spindle.task.Task;
import dev.spindle.task.internal.Suspension;
import java.io.IOException;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.Channel;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.SocketChannel;

/**
 * A connected <em>blocking</em> {@link SocketChannel} (TCP or Unix domain) of the {@link JdkPollerBackend}.
 * Loop-confined, like every {@link Transport}. {@link #read} and {@link #write} are the channel's own blocking calls:
 * in a coroutine they park it in the JDK's poller while the socket is not ready (never the loop's thread), and the
 * JDK hands it back to the loop when it is.
 *
 * <p>Cancellation: a coroutine cancelled inside {@code read} or {@code write} is interrupted, which closes the channel
 * (the reason this backend is not shipped). The JDK reports that as {@link ClosedByInterruptException}, which the
 * streams layer would take for a local close (a read would return the end of the stream and the cancel would be
 * lost), so it is turned into the task's {@link Cancelled}; everyone else then gets
 * {@link java.nio.channels.ClosedChannelException}.
 *
 * <p>{@link #tryRead} and {@link #tryWrite} (the streams layer's "without waiting") switch the channel to
 * non-blocking for the one call and back. {@code configureBlocking} takes both of the channel's read and write locks,
 * which a coroutine parked in a blocking read or write holds while it waits; so while one is, they do not touch the
 * channel and report 0 bytes: {@code StreamWriter} then buffers and lets its flusher coroutine write (blocking),
 * and {@code StreamReader.atEof} answers "not yet". Once a coroutine has used the channel, the JDK keeps its socket
 * non-blocking underneath and the switch only flips a flag under those locks, without a system call.
 *
 * {@snippet :
 * Transport t = new JdkPollerBackend().connect(loop, new InetSocketAddress("127.0.0.1", 9000));
 * t.write(ByteBuffer.wrap("ping".getBytes()));   // in a coroutine: parks only if the send buffer is full
 * int n = t.read(ByteBuffer.allocate(4));         // parks in the JDK's poller until the answer arrives
 * }
 */
final class JdkPollerTransport implements Transport {
    private final SocketChannel channel;
    // Cached: the channel cannot tell them once closed, and error messages need the peer.
    private final SocketAddress local;
    private final SocketAddress remote;
    /** A coroutine is inside {@link #read}: it holds the channel's read lock, maybe parked in the JDK. */
    private boolean reading;
    /** A coroutine is inside {@link #write}: it holds the channel's write lock, maybe parked in the JDK. */
    private boolean writing;

    private JdkPollerTransport(SocketChannel channel) throws IOException {
        this.channel = channel;
        this.local = channel.getLocalAddress();
        this.remote = channel.getRemoteAddress();
    }

    /** Wraps a connected blocking channel; TCP gets {@code TCP_NODELAY}, as asyncio's sockets do. */
    static JdkPollerTransport wrap(SocketChannel channel) throws IOException {
        if (channel.supportedOptions().contains(StandardSocketOptions.TCP_NODELAY)) {
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        }
        return new JdkPollerTransport(channel);
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        if (!dst.hasRemaining()) {
            return 0;
        }
        reading = true;
        try {
            return channel.read(dst); // blocking: at least one byte, or -1
        } catch (ClosedByInterruptException e) {
            throw cancelledBy(e);
        } finally {
            reading = false;
        }
    }

    @Override
    public int tryRead(ByteBuffer dst) throws IOException {
        if (reading || writing) {
            return 0;
        }
        channel.configureBlocking(false);
        try {
            return channel.read(dst);
        } finally {
            restoreBlocking();
        }
    }

    @Override
    public void write(ByteBuffer src) throws IOException {
        writing = true;
        try {
            while (src.hasRemaining()) {
                channel.write(src); // blocking: parks while the send buffer is full
            }
        } catch (ClosedByInterruptException e) {
            throw cancelledBy(e);
        } finally {
            writing = false;
        }
    }

    @Override
    public int tryWrite(ByteBuffer src) throws IOException {
        if (reading || writing) {
            return 0;
        }
        channel.configureBlocking(false);
        try {
            return channel.write(src);
        } finally {
            restoreBlocking();
        }
    }

    /** Back to blocking after a try; a channel that closed meanwhile stays as it is (the failure says why). */
    private void restoreBlocking() throws IOException {
        if (channel.isOpen()) {
            channel.configureBlocking(true);
        }
    }

    @Override
    public void shutdownOutput() throws IOException {
        channel.shutdownOutput();
    }

    @Override
    public SocketAddress localAddress() {
        return local;
    }

    @Override
    public SocketAddress remoteAddress() {
        return remote;
    }

    @Override
    public boolean isOpen() {
        return channel.isOpen();
    }

    /**
     * Closes the channel; a coroutine parked in a read or write of it wakes (through the JDK's poller) and fails with
     * {@link java.nio.channels.AsynchronousCloseException}.
     */
    @Override
    public void close() {
        closeQuietly(channel);
    }

    /**
     * The current task's pending cancellation, delivered (its interrupt consumed), when {@code e} is how that
     * cancellation reached a blocking channel call; else {@code e} itself (someone else interrupted the thread).
     */
    static IOException cancelledBy(ClosedByInterruptException e) {
        Task<?> self = Task.currentOrNull();
        if (self == null || !Suspension.cancelPending(self)) {
            return e;
        }
        Cancelled c = Suspension.takeCancel(self);
        c.initCause(e);
        throw c;
    }

    static void closeQuietly(Channel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // a failing close still releases the descriptor; nobody could act on the error
        }
    }

    @Override
    public String toString() {
        return "JdkPollerTransport[" + local + " -> " + remote + (channel.isOpen() ? "" : ", closed") + "]";
    }
}
