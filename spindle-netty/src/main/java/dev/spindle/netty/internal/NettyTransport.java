package dev.spindle.netty.internal;

import dev.spindle.io.internal.Transport;
import io.netty.channel.DefaultFileRegion;
import io.netty.channel.unix.Errors;
import io.netty.channel.unix.Socket;
import java.io.IOException;
import java.net.SocketAddress;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Not API: a connected native socket (TCP or Unix domain) on its loop's {@link NettyPoller}, read and written with
 * plain {@code read(2)}/{@code write(2)} through Netty's unix {@link Socket}. Loop-confined, like every
 * {@link Transport}; waits park the coroutine in {@link FdHandle#await}, so a cancelled read or write leaves the
 * connection usable (a cancelled write may have sent part of its buffer: {@code src.position()} says how much).
 *
 * <p>Netty's native calls take native memory: direct buffers are used as they are, heap buffers go through the
 * poller's scratch buffer (one copy, within the call).
 *
 * <p>Errors: a reset or broken pipe surfaces as a {@link SocketException} whose message is the system's (for
 * instance "Connection reset by peer"), with Netty's exception as the cause; any use after {@link #close()} as
 * {@link java.nio.channels.ClosedChannelException}.
 */
public final class NettyTransport implements Transport {
    private final FdHandle fd;
    private final Socket socket;
    private final ByteBuffer scratch;
    // Cached: a closed socket cannot tell them, and error messages need the peer.
    private final SocketAddress local;
    private final SocketAddress remote;

    NettyTransport(FdHandle fd) {
        this.fd = fd;
        this.socket = fd.socket;
        this.scratch = fd.poller().scratch;
        this.local = Addresses.local(socket, fd.domain);
        this.remote = Addresses.remote(socket, fd.domain);
    }

    /** The socket's registration and readiness (for tests of the wait protocol). */
    FdHandle handle() {
        return fd;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        if (!dst.hasRemaining()) {
            fd.checkOpen();
            return 0;
        }
        while (true) {
            if (fd.isReady(FdHandle.READ)) {
                int n = readNow(dst);
                if (n != 0) {
                    return n;
                }
            }
            fd.await(FdHandle.READ, "read");
        }
    }

    @Override
    public int tryRead(ByteBuffer dst) throws IOException {
        fd.checkOpen();
        // Not known ready: the kernel's buffer was empty at the last look and no data arrived since the last poll.
        return fd.isReady(FdHandle.READ) ? readNow(dst) : 0;
    }

    /** One {@code read(2)}: the count, 0 if nothing was there (readiness cleared), -1 at the end of the stream. */
    private int readNow(ByteBuffer dst) throws IOException {
        fd.checkOpen();
        // What read(2) is asked for: all of dst, or what the scratch buffer holds (a short read is judged against
        // this, not against dst, or a big heap buffer would make every full scratch read look like a drained socket).
        int want;
        int n;
        try {
            if (dst.isDirect()) {
                int pos = dst.position();
                want = dst.limit() - pos;
                if (want == 0) {
                    return 0;
                }
                n = socket.read(dst, pos, dst.limit());
                if (n > 0) {
                    dst.position(pos + n);
                }
            } else {
                want = Math.min(dst.remaining(), scratch.capacity());
                if (want == 0) {
                    return 0;
                }
                n = socket.read(scratch, 0, want);
                if (n > 0) {
                    dst.put(dst.position(), scratch, 0, n);
                    dst.position(dst.position() + n);
                }
            }
        } catch (Errors.NativeIoException e) {
            throw socketError(e);
        }
        if (n == 0) {
            // EAGAIN: nothing at all is pending, not even an end or an error
            fd.clear(FdHandle.READ | FdHandle.READ_END);
        } else if (n > 0 && n < want) {
            // Fewer bytes than room: the data in the receive buffer is gone (TCP and Unix stream sockets hand over all
            // they have), and whatever arrives next raises a new edge. An end already signalled stays (READ_END).
            fd.clear(FdHandle.READ);
        }
        return n;
    }

    @Override
    public void write(ByteBuffer src) throws IOException {
        while (src.hasRemaining()) {
            if (!fd.isReady(FdHandle.WRITE) || writeNow(src) == 0) {
                fd.await(FdHandle.WRITE, "write");
            }
        }
    }

    @Override
    public int tryWrite(ByteBuffer src) throws IOException {
        fd.checkOpen();
        int total = 0;
        // Loops on a short write: only a write that takes nothing proves the send buffer full (see writeNow).
        while (src.hasRemaining() && fd.isReady(FdHandle.WRITE)) {
            int n = writeNow(src);
            if (n == 0) {
                break;
            }
            total += n;
        }
        return total;
    }

    /** One {@code write(2)}: the count; 0 means the send buffer is full (readiness cleared). */
    private int writeNow(ByteBuffer src) throws IOException {
        fd.checkOpen();
        int n;
        try {
            if (src.isDirect()) {
                int pos = src.position();
                n = socket.write(src, pos, src.limit());
                src.position(pos + n);
            } else {
                int len = Math.min(src.remaining(), scratch.capacity());
                scratch.put(0, src, src.position(), len);
                n = socket.write(scratch, 0, len);
                src.position(src.position() + n);
            }
        } catch (Errors.NativeIoException e) {
            throw socketError(e);
        }
        if (n == 0) {
            fd.clear(FdHandle.WRITE);
        }
        return n;
    }

    /**
     * Zero copy: sendfile(2) from the file's page cache to the socket, through Netty's native library (see {@link
     * NativeSendFile}). A transfer the kernel takes only part of is resumed on the next writable edge; a transfer of
     * 0 bytes at or past the file's end stops. Falls back to the copying path of {@link Transport} for file channels
     * that are not the JDK's, or if Netty's native entry is not found.
     */
    @Override
    public long sendFile(FileChannel file, long position, long count) throws IOException {
        if (!NativeSendFile.available() || !NativeSendFile.accepts(file)) {
            return Transport.super.sendFile(file, position, count);
        }
        fd.checkOpen();
        DefaultFileRegion region = new DefaultFileRegion(file, position, count);
        long sent = 0;
        while (sent < count) {
            long n = 0;
            if (fd.isReady(FdHandle.WRITE)) {
                fd.checkOpen();
                try {
                    n = NativeSendFile.send(socket.intValue(), region, position, sent, count - sent);
                } catch (Errors.NativeIoException e) {
                    throw socketError(e);
                }
            }
            if (n > 0) {
                sent += n;
            } else if (position + sent >= file.size()) {
                break; // the file ended (or shrank) before count bytes
            } else {
                fd.clear(FdHandle.WRITE);
                fd.await(FdHandle.WRITE, "sendFile");
            }
        }
        return sent;
    }

    @Override
    public void shutdownOutput() throws IOException {
        fd.checkOpen();
        try {
            socket.shutdown(false, true);
        } catch (Errors.NativeIoException e) {
            throw socketError(e);
        }
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
        return fd.isOpen();
    }

    /** Closes the socket at once (no linger); waiting coroutines fail with {@code ClosedChannelException}. */
    @Override
    public void close() {
        fd.close();
    }

    /**
     * Netty reports failed calls as "read(..) failed: Connection reset by peer"; the JDK's sockets report a
     * {@link SocketException}. Keep the JDK's type, so callers handle both backends alike, with the system's words.
     */
    static SocketException socketError(Errors.NativeIoException e) {
        String m = e.getMessage();
        int colon = m == null ? -1 : m.indexOf(": ");
        SocketException s = new SocketException(colon < 0 ? m : m.substring(colon + 2));
        s.initCause(e);
        return s;
    }

    @Override
    public String toString() {
        return "NettyTransport[" + local + " -> " + remote + (fd.isOpen() ? "" : ", closed") + "]";
    }
}
