package dev.spindle.io.internal;

import java.io.IOException;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * Not API: a connected {@link SocketChannel} (TCP or Unix domain) on its loop's {@link SelectorPoller}. Loop-confined,
 * like every {@link Transport}; the waiting methods park the calling coroutine in {@link Readiness#await}, so a
 * cancelled read or write withdraws its interest and leaves the connection usable.
 *
 * <p>Reading tries the channel first and waits only when it has nothing, except right after a read that emptied the
 * kernel's buffer (fewer bytes than asked): then the next read waits for readiness first, which saves a system call
 * that would almost surely find nothing (a request-response peer has not answered yet). The selector is
 * level-triggered, so waiting first never misses data that is already there.
 */
public final class NioTransport implements Transport {
    private final SocketChannel channel;
    private final Readiness readiness;
    // Cached: the channel cannot tell them once closed, and error messages need the peer.
    private final SocketAddress local;
    private final SocketAddress remote;
    /** The last read got fewer bytes than it had room for, so the kernel's receive buffer is probably empty. */
    private boolean drained;

    private NioTransport(SocketChannel channel, Readiness readiness) throws IOException {
        this.channel = channel;
        this.readiness = readiness;
        this.local = channel.getLocalAddress();
        this.remote = channel.getRemoteAddress();
    }

    /**
     * Registers the connected {@code channel} with the current loop's selector. TCP channels get {@code TCP_NODELAY},
     * as asyncio's do. On failure the channel is closed.
     */
    static NioTransport wrap(SelectorPoller poller, SocketChannel channel) throws IOException {
        try {
            return wrapRegistered(channel, poller.register(channel));
        } catch (IOException | RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    /** {@link #wrap} for a channel already registered (a client's, registered before it connected). */
    static NioTransport wrapRegistered(SocketChannel channel, Readiness readiness) throws IOException {
        if (channel.supportedOptions().contains(StandardSocketOptions.TCP_NODELAY)) {
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        }
        return new NioTransport(channel, readiness);
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        if (!dst.hasRemaining()) {
            return 0;
        }
        if (drained) {
            readiness.await(SelectionKey.OP_READ, "read");
        }
        int want = dst.remaining();
        int n;
        while ((n = channel.read(dst)) == 0) {
            readiness.await(SelectionKey.OP_READ, "read");
        }
        drained = n >= 0 && n < want;
        return n;
    }

    @Override
    public int tryRead(ByteBuffer dst) throws IOException {
        int want = dst.remaining();
        int n = channel.read(dst);
        drained = n >= 0 && n < want;
        return n;
    }

    @Override
    public void write(ByteBuffer src) throws IOException {
        while (src.hasRemaining()) {
            if (channel.write(src) == 0) {
                readiness.await(SelectionKey.OP_WRITE, "write");
            }
        }
    }

    @Override
    public int tryWrite(ByteBuffer src) throws IOException {
        return channel.write(src);
    }

    /**
     * Zero copy: {@link FileChannel#transferTo} into this non-blocking channel, which the JDK does with sendfile(2) on
     * Linux (a copying fallback of its own elsewhere). A transfer the kernel takes only part of is resumed when the
     * selector reports the channel writable again; a transfer of 0 bytes at or past the file's end stops.
     */
    @Override
    public long sendFile(FileChannel file, long position, long count) throws IOException {
        long sent = 0;
        while (sent < count) {
            long n = file.transferTo(position + sent, count - sent, channel);
            if (n > 0) {
                sent += n;
            } else if (position + sent >= file.size()) {
                break; // the file ended (or shrank) before count bytes
            } else {
                readiness.await(SelectionKey.OP_WRITE, "sendFile");
            }
        }
        return sent;
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
     * Closes the channel and wakes its waiters, which fail with {@link java.nio.channels.ClosedChannelException}. The
     * file descriptor is released at the selector's next pass (the JDK defers it while the channel is registered).
     */
    @Override
    public void close() {
        if (channel.isOpen()) {
            closeQuietly(channel);
            readiness.closed();
        }
    }

    static void closeQuietly(java.nio.channels.Channel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // a failing close still releases the descriptor; nobody could act on the error
        }
    }

    /** The channel's readiness, for the tests of this package. */
    Readiness readinessForTests() {
        return readiness;
    }

    @Override
    public String toString() {
        return "NioTransport[" + local + " -> " + remote + (channel.isOpen() ? "" : ", closed") + "]";
    }
}
