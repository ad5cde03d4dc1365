package dev.spindle.io.internal;

import dev.spindle.loop.internal.EventLoop;
import dev.spindle.sync.internal.WaitQueue;
import dev.spindle.task.Task;
import dev.spindle.task.internal.Suspension;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Not API: one end of a connected pair of transports in memory (Trio's {@code memory_stream_pair}): what one end
 * writes, the other reads, as over a TCP connection on the same loop. Made by {@link #pair}.
 *
 * <h2>Semantics</h2>
 * <ul>
 *   <li><b>Buffering.</b> Each end holds what its peer wrote and it has not read yet, at most {@code limit} bytes
 *       (the pair's stand-in for the kernel's buffers): a {@link #write} waits while the peer's buffer is full, and
 *       {@link #tryWrite} takes only what fits.
 *   <li><b>Ends.</b> {@link #shutdownOutput} lets the peer read what is buffered and then the end of the stream;
 *       {@link #close} does the same for the peer, drops what this end had not read, and makes the peer's later
 *       writes fail with an {@link IOException} "Broken pipe", as a socket's do once the peer is gone.
 *   <li><b>Cancellation.</b> Waiters park in {@link WaitQueue}s and re-check after every wake-up, so a cancelled
 *       {@link #read} took nothing, and a cancelled {@link #write} leaves {@code src.position()} after the bytes it
 *       handed to the peer's buffer, which the peer will read.
 * </ul>
 *
 * <h2>Fields</h2>
 * Everything is confined to the loop's thread. An end's {@code buf[head, tail)} are the bytes its peer wrote;
 * {@code readers} wait for them and {@code writers} (the peer's coroutines) wait for room in them.
 */
public final class MemoryTransport implements Transport {
    private static final AtomicLong PAIRS = new AtomicLong();
    private static final byte[] NOTHING = new byte[0];

    private final EventLoop loop;
    private final int limit;
    private final MemoryAddress local;
    private final MemoryAddress remote;
    private MemoryTransport peer;

    private byte[] buf = NOTHING;
    private int head;
    private int tail;
    /** The peer shut its output or closed: after {@code buf} the stream has ended. */
    private boolean inputEnded;

    private boolean outputShut;
    private boolean closed;
    private final WaitQueue readers = new WaitQueue();
    private final WaitQueue writers = new WaitQueue();

    private MemoryTransport(EventLoop loop, int limit, MemoryAddress local, MemoryAddress remote) {
        this.loop = loop;
        this.limit = limit;
        this.local = local;
        this.remote = remote;
    }

    /**
     * Two connected ends on {@code loop}, each buffering at most {@code limit} bytes its peer wrote. Loop thread only.
     *
     * @throws IllegalArgumentException if {@code limit} is not positive
     */
    public static MemoryTransport[] pair(EventLoop loop, int limit) {
        if (limit <= 0) {
            throw new IllegalArgumentException("limit must be positive: " + limit);
        }
        loop.checkThread("MemoryTransport.pair");
        long id = PAIRS.incrementAndGet();
        MemoryAddress a = new MemoryAddress(id, 'a');
        MemoryAddress b = new MemoryAddress(id, 'b');
        MemoryTransport first = new MemoryTransport(loop, limit, a, b);
        MemoryTransport second = new MemoryTransport(loop, limit, b, a);
        first.peer = second;
        second.peer = first;
        return new MemoryTransport[] {first, second};
    }

    // ---- reading --------------------------------------------------------------------------------------------

    @Override
    public int read(ByteBuffer dst) throws IOException {
        int n = tryRead(dst);
        if (n != 0 || !dst.hasRemaining()) {
            return n; // the usual case: no task lookup, no message built
        }
        Task<?> self = Suspension.currentTask("reading " + local);
        do {
            readers.park(self, null); // a wake-up only: the bytes stay in buf if this reader is cancelled
            n = tryRead(dst);
        } while (n == 0);
        return n;
    }

    @Override
    public int tryRead(ByteBuffer dst) throws IOException {
        loop.checkThread("reading a memory connection");
        if (closed) {
            throw new ClosedChannelException();
        }
        int n = Math.min(dst.remaining(), tail - head);
        if (n == 0) {
            return inputEnded && head == tail ? -1 : 0;
        }
        dst.put(buf, head, n);
        head += n;
        if (head == tail) {
            head = 0;
            tail = 0;
        }
        writers.wakeAll(Boolean.TRUE); // room for the peer's writers
        return n;
    }

    /** The bytes the peer wrote that this end has not read yet (at most the limit). Loop thread. */
    public int buffered() {
        return tail - head;
    }

    // ---- writing --------------------------------------------------------------------------------------------

    @Override
    public void write(ByteBuffer src) throws IOException {
        tryWrite(src);
        if (!src.hasRemaining()) {
            return; // the usual case: no task lookup, no message built
        }
        Task<?> self = Suspension.currentTask("writing to " + remote);
        do {
            peer.writers.park(self, null); // what was handed over stays handed over if this writer is cancelled
            tryWrite(src);
        } while (src.hasRemaining());
    }

    @Override
    public int tryWrite(ByteBuffer src) throws IOException {
        loop.checkThread("writing to a memory connection");
        if (closed || outputShut) {
            throw new ClosedChannelException();
        }
        if (peer.closed) {
            throw new IOException("Broken pipe");
        }
        return peer.receive(src);
    }

    /** Takes what fits of {@code src} into this end's buffer; wakes this end's readers. */
    private int receive(ByteBuffer src) {
        int n = Math.min(src.remaining(), limit - (tail - head));
        if (n == 0) {
            return 0;
        }
        if (buf.length - tail < n) {
            int pending = tail - head;
            // compact in place when that makes room, else grow (doubling, from 4 KiB, never past the limit)
            byte[] target = pending + n <= buf.length
                    ? buf
                    : new byte[Math.min(limit, Math.max(pending + n, Math.max(4096, buf.length * 2)))];
            System.arraycopy(buf, head, target, 0, pending);
            buf = target;
            head = 0;
            tail = pending;
        }
        src.get(buf, tail, n);
        tail += n;
        readers.wakeAll(Boolean.TRUE);
        return n;
    }

    // ---- ends -----------------------------------------------------------------------------------------------

    /** Ends this direction: the peer reads what is buffered, then the end of the stream. Idempotent. */
    @Override
    public void shutdownOutput() throws IOException {
        loop.checkThread("shutting down the output to " + remote);
        if (closed) {
            throw new ClosedChannelException();
        }
        if (!outputShut) {
            outputShut = true;
            peer.endInput();
        }
    }

    private void endInput() {
        inputEnded = true;
        readers.wakeAll(Boolean.TRUE);
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

    /**
     * Closes this end: its waiters fail with {@link ClosedChannelException}, what it had not read is dropped, the
     * peer reads the end of the stream after what it has buffered, and the peer's writers fail. Idempotent.
     */
    @Override
    public void close() {
        loop.checkThread("closing " + local);
        if (closed) {
            return;
        }
        closed = true;
        outputShut = true;
        buf = NOTHING;
        head = 0;
        tail = 0;
        readers.wakeAll(Boolean.TRUE);
        writers.wakeAll(Boolean.TRUE); // the peer's writers waiting for room here: they now fail
        peer.writers.wakeAll(Boolean.TRUE); // this end's writers waiting for room at the peer
        peer.endInput();
    }

    @Override
    public String toString() {
        return "MemoryTransport[" + local + " -> " + remote + (closed ? ", closed" : "") + "]";
    }

    /**
     * The address of one end of a memory pair: {@code memory:<pair>/a} or {@code /b}, which is its {@code toString};
     * the two ends of a pair name each other, so messages that name a peer name the pair.
     */
    public static final class MemoryAddress extends SocketAddress {
        private static final long serialVersionUID = 1L;

        private final long pair;
        private final char end;

        MemoryAddress(long pair, char end) {
            this.pair = pair;
            this.end = end;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof MemoryAddress other && other.pair == pair && other.end == end;
        }

        @Override
        public int hashCode() {
            return Long.hashCode(pair) * 31 + end;
        }

        @Override
        public String toString() {
            return "memory:" + pair + "/" + end;
        }
    }
}
