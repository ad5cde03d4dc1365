package dev.spindle.io.tls;

import dev.spindle.io.internal.Transport;
import dev.spindle.loop.internal.EventLoop;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;

/**
 * Test-only: one end of core's in-memory pair ({@link dev.spindle.io.internal.MemoryTransport}: a bounded buffer
 * per direction, so a writer waits for a slow reader) that moves at most {@code chop} bytes per read and per
 * write: a one-byte-at-a-time peer. Waits park in the loop's wait lines, so everything is deterministic.
 */
final class MemoryTransport implements Transport {
    private final dev.spindle.io.internal.MemoryTransport end;
    private final dev.spindle.io.internal.MemoryTransport peer;
    private final int chop;

    private MemoryTransport(
            dev.spindle.io.internal.MemoryTransport end, dev.spindle.io.internal.MemoryTransport peer, int chop) {
        this.end = end;
        this.peer = peer;
        this.chop = chop;
    }

    /** Two connected ends on the current loop: [0] is the client's, [1] the server's. */
    static MemoryTransport[] pair(int capacity, int chop) {
        var ends = dev.spindle.io.internal.MemoryTransport.pair(EventLoop.current(), capacity);
        return new MemoryTransport[] {
            new MemoryTransport(ends[0], ends[1], chop), new MemoryTransport(ends[1], ends[0], chop)
        };
    }

    static MemoryTransport[] pair() {
        return pair(64 * 1024, Integer.MAX_VALUE);
    }

    /** Bytes written by this end that the other has not read yet. */
    int unread() {
        return peer.buffered();
    }

    /** At most {@code chop} bytes of {@code b} from its position, sharing its content. */
    private ByteBuffer chopped(ByteBuffer b) {
        return b.slice(b.position(), Math.min(b.remaining(), chop));
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        ByteBuffer view = chopped(dst);
        int n = end.read(view);
        if (n > 0) {
            dst.position(dst.position() + n);
        }
        return n;
    }

    @Override
    public int tryRead(ByteBuffer dst) throws IOException {
        ByteBuffer view = chopped(dst);
        int n = end.tryRead(view);
        if (n > 0) {
            dst.position(dst.position() + n);
        }
        return n;
    }

    @Override
    public void write(ByteBuffer src) throws IOException {
        while (src.hasRemaining()) {
            ByteBuffer view = chopped(src);
            try {
                end.write(view);
            } finally {
                src.position(src.position() + view.position()); // a cancelled write took this much
            }
        }
    }

    @Override
    public int tryWrite(ByteBuffer src) throws IOException {
        ByteBuffer view = chopped(src);
        int n = end.tryWrite(view);
        src.position(src.position() + n);
        return n;
    }

    @Override
    public void shutdownOutput() throws IOException {
        end.shutdownOutput();
    }

    @Override
    public SocketAddress localAddress() {
        return end.localAddress();
    }

    @Override
    public SocketAddress remoteAddress() {
        return end.remoteAddress();
    }

    @Override
    public boolean isOpen() {
        return end.isOpen();
    }

    @Override
    public void close() {
        end.close();
    }
}
