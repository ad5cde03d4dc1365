package dev.spindle.io.tls;

import dev.spindle.io.internal.Transport;
import dev.spindle.sync.internal.WaitQueue;
import dev.spindle.task.Task;
import dev.spindle.task.internal.Suspension;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;

/**
 * Test-only: one end of an in-memory connection between two coroutines of one loop, with a bounded buffer per
 * direction (so a writer waits for a slow reader) and an optional chop size (each read and write moves at most
 * that many bytes: a one-byte-at-a-time peer). Waits park in {@link WaitQueue}s, so everything is deterministic.
 */
final class MemoryTransport implements Transport {
    /** One direction of the connection. */
    private static final class Pipe {
        final ByteBuffer buf; // fill mode
        final WaitQueue readers = new WaitQueue();
        final WaitQueue writers = new WaitQueue();
        boolean eof; // the writing end shut down or closed
        boolean readerGone; // the reading end closed: writes fail as on a reset connection

        Pipe(int capacity) {
            buf = ByteBuffer.allocate(capacity);
        }

        int take(ByteBuffer dst, int max) {
            buf.flip();
            int n = Math.min(Math.min(buf.remaining(), dst.remaining()), max);
            dst.put(dst.position(), buf, buf.position(), n);
            dst.position(dst.position() + n);
            buf.position(buf.position() + n);
            buf.compact();
            if (n > 0) {
                writers.wakeAll(Boolean.TRUE);
            }
            return n;
        }

        int put(ByteBuffer src, int max) {
            int n = Math.min(Math.min(buf.remaining(), src.remaining()), max);
            buf.put(buf.position(), src, src.position(), n);
            buf.position(buf.position() + n);
            src.position(src.position() + n);
            if (n > 0) {
                readers.wakeAll(Boolean.TRUE);
            }
            return n;
        }

        int buffered() {
            return buf.position();
        }
    }

    /** A name for an end, as an address. */
    private static final class Name extends SocketAddress {
        private final String name;

        Name(String name) {
            this.name = name;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private final Pipe in;
    private final Pipe out;
    private final int chop;
    private final SocketAddress local;
    private final SocketAddress remote;
    private boolean closed;

    private MemoryTransport(Pipe in, Pipe out, int chop, String local, String remote) {
        this.in = in;
        this.out = out;
        this.chop = chop;
        this.local = new Name(local);
        this.remote = new Name(remote);
    }

    /** Two connected ends: [0] is the client's, [1] the server's. */
    static MemoryTransport[] pair(int capacity, int chop) {
        Pipe up = new Pipe(capacity);
        Pipe down = new Pipe(capacity);
        return new MemoryTransport[] {
            new MemoryTransport(down, up, chop, "client", "server"),
            new MemoryTransport(up, down, chop, "server", "client")
        };
    }

    static MemoryTransport[] pair() {
        return pair(64 * 1024, Integer.MAX_VALUE);
    }

    /** Bytes written by this end that the other has not read yet. */
    int unread() {
        return out.buffered();
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        Task<?> self = Suspension.currentTask("read");
        while (true) {
            int n = tryRead(dst);
            if (n != 0) {
                return n;
            }
            in.readers.park(self, null);
        }
    }

    @Override
    public int tryRead(ByteBuffer dst) throws IOException {
        if (closed) {
            throw new ClosedChannelException();
        }
        int n = in.take(dst, chop);
        return n == 0 && in.eof ? -1 : n;
    }

    @Override
    public void write(ByteBuffer src) throws IOException {
        Task<?> self = Suspension.currentTask("write");
        while (src.hasRemaining()) {
            if (tryWrite(src) == 0) {
                out.writers.park(self, null);
            }
        }
    }

    @Override
    public int tryWrite(ByteBuffer src) throws IOException {
        if (closed || out.eof) {
            throw new ClosedChannelException();
        }
        if (out.readerGone) {
            throw new IOException("Connection reset by peer (memory)");
        }
        return out.put(src, chop);
    }

    @Override
    public void shutdownOutput() {
        out.eof = true;
        out.readers.wakeAll(Boolean.TRUE);
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
        return !closed;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        out.eof = true;
        in.readerGone = true;
        for (Pipe p : new Pipe[] {in, out}) {
            p.readers.wakeAll(Boolean.TRUE);
            p.writers.wakeAll(Boolean.TRUE);
        }
    }
}
