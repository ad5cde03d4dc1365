package dev.spindle.io;

import dev.spindle.gen.AsyncIterator;
import dev.spindle.io.internal.Transport;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * The reading half of a connection (asyncio's {@code StreamReader}): reads of up to n bytes, exactly n bytes, a line,
 * or up to a separator, each suspending the calling coroutine until the data is there.
 *
 * {@snippet :
 * Connection c = Streams.openConnection("127.0.0.1", 6379);
 * c.writer().write("PING\r\n".getBytes(US_ASCII));
 * byte[] reply = c.reader().readLine(); // "+PONG\r\n"
 * for (String line : c.reader().lines()) { // until the peer closes
 *     System.out.println(line);
 * }
 * }
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li><b>Threads.</b> Use a reader from coroutines of its connection's loop, one coroutine at a time: a read while
 *       another coroutine waits in one fails with {@link IllegalStateException}, as asyncio's does.
 *   <li><b>End of stream.</b> When the peer closes its end (or this side closed the connection), {@link #read(int)}
 *       and {@link #readLine()} return what is left, then an empty array; {@link #readExactly} and
 *       {@link #readUntil} throw {@link IncompleteRead} with the bytes that did arrive.
 *   <li><b>Limit.</b> {@link #readUntil} and {@link #readLine} look for the separator within {@link #limit()} bytes
 *       (64 KiB by default, as in asyncio) and throw {@link LimitOverrun} beyond, leaving the data buffered. The
 *       buffer therefore never holds much more than the limit for them, whatever the peer sends.
 *   <li><b>Failures.</b> A connection reset or another I/O error throws {@link ConnectionLost} naming the peer; bytes
 *       received before it are still returned by the reads that follow, then the error is thrown again.
 * </ul>
 *
 * <h2>Cancellation and timeouts</h2>
 * Every read may be bounded with {@link dev.spindle.Spindle#withTimeout} or cancelled; the connection stays usable
 * and nothing received is lost:
 * <ul>
 *   <li>{@link #read(int)}, {@link #read(ByteBuffer)}: a cancelled read consumed nothing.
 *   <li>{@link #readExactly}, {@link #readUntil}, {@link #readLine}: the bytes gathered so far stay in the buffer, and
 *       the next read returns them.
 *   <li>{@link #lines()}: a line fetched by {@code hasNext()} but not taken goes back to the buffer when the iterator
 *       is closed.
 * </ul>
 *
 * <h2>Buffering</h2>
 * One growable array with a read and a write index, compacted when room is needed. It starts at 8 KiB on the first
 * read and doubles (up to 256 KiB) while reads keep filling it, so bulk transfers use few system calls and idle
 * connections stay small. {@code read(n)} copies out only what arrived; {@code readExactly(n)} of more than 64 KiB
 * reads straight into the result array.
 */
public final class StreamReader {
    /** The default {@link #limit()}: 64 KiB, as asyncio's. */
    public static final int DEFAULT_LIMIT = 64 * 1024;

    private static final byte[] NOTHING = new byte[0];
    private static final byte[] NEWLINE = {'\n'};
    private static final int MIN_CAPACITY = 8 * 1024;
    /** Adaptive growth stops here; only a large limit or readExactly makes the buffer larger. */
    private static final int MAX_ADAPTIVE = 256 * 1024;
    /**
     * The most one transport read asks for: the JDK stages reads into a heap array through a temporary direct
     * buffer as large as the request, which it keeps per thread, so an unbounded request would pin that much memory.
     */
    static final int MAX_IO = 256 * 1024;
    /** readExactly of more than this reads straight into the result instead of through the buffer. */
    private static final int DIRECT_THRESHOLD = 64 * 1024;

    /** Replaced once at most, by {@link StreamWriter#startTls}: the TLS transport over the plain one. */
    private Transport transport;

    private final int limit;

    // Loop-confined. Buffered bytes are buf[head, tail).
    private byte[] buf = NOTHING;
    private int head;
    private int tail;
    /** The capacity the next allocation aims at: doubles while reads fill all the room they are given. */
    private int capacityHint = MIN_CAPACITY;

    private boolean eof;
    private ConnectionLost error;
    /** A coroutine waits in the transport: a second reader would steal or reorder bytes. */
    private boolean waiting;
    /** A startTls is handshaking: the plain bytes under it are the TLS layer's, not a reader's. */
    private boolean upgrading;

    /**
     * A reader of {@code transport}. For Spindle's own modules (TLS, subprocesses, the Netty backend): programs get
     * readers from {@link Streams}.
     *
     * @param limit the most bytes {@link #readUntil} and {@link #readLine} scan for their separator
     */
    public StreamReader(Transport transport, int limit) {
        this.transport = Objects.requireNonNull(transport, "transport");
        if (limit <= 0) {
            throw new IllegalArgumentException("limit must be positive: " + limit);
        }
        this.limit = limit;
    }

    /** The most bytes {@link #readUntil} and {@link #readLine} scan for their separator. */
    public int limit() {
        return limit;
    }

    // ---- reads ----------------------------------------------------------------------------------------------

    /**
     * Reads up to {@code n} bytes: what is buffered, or else what the next arrival brings, waiting until at least one
     * byte has arrived. Returns an empty array at the end of the stream (and for {@code n == 0}).
     *
     * @throws ConnectionLost if the connection failed and nothing is buffered
     * @throws dev.spindle.task.Cancelled if cancelled while waiting; nothing was consumed
     */
    public byte[] read(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("n must not be negative: " + n);
        }
        checkNotWaiting();
        if (n == 0) {
            return NOTHING;
        }
        if (head == tail && !fill(capacityHint)) {
            return NOTHING;
        }
        return take(Math.min(n, tail - head));
    }

    /**
     * Reads until the end of the stream and returns all of it (asyncio's {@code read()} with no size), waiting as
     * long as it takes. Memory grows with what the peer sends: bound it with {@link #readExactly} or
     * {@link #readUntil} when the peer is not trusted.
     *
     * @throws ConnectionLost if the connection fails first; what arrived stays buffered
     * @throws dev.spindle.task.Cancelled if cancelled while waiting; what arrived stays buffered
     */
    public byte[] readAll() {
        checkNotWaiting();
        while (fill(Math.max(MIN_CAPACITY, tail - head))) {
            // each round doubles the room, so a large stream costs O(n) copying
        }
        return take(tail - head);
    }

    /**
     * Reads up to {@code dst.remaining()} bytes into {@code dst}: what is buffered, or else straight from the
     * connection (no copy through the buffer), waiting until at least one byte has arrived. Returns the count, 0 when
     * {@code dst} has no room, or -1 at the end of the stream.
     *
     * @throws ConnectionLost if the connection failed and nothing is buffered
     * @throws dev.spindle.task.Cancelled if cancelled while waiting; nothing was consumed
     */
    public int read(ByteBuffer dst) {
        return readInto(dst, true);
    }

    /**
     * Reads what has arrived without waiting: up to {@code dst.remaining()} bytes that are buffered, or else what the
     * connection holds now (no copy through the buffer). Returns the count, 0 when nothing has arrived (or {@code dst}
     * has no room), or -1 at the end of the stream. For a protocol client that knows its reply is on its way and has
     * waited on purpose (reading several pipelined replies in one go, for instance): a {@link #read(ByteBuffer)}
     * after a short read first waits for readiness, which costs a pass of the loop when the bytes are already there.
     *
     * {@snippet :
     * int n = reader.tryRead(room);
     * if (n == 0) {
     *     n = reader.read(room); // nothing yet: wait for it
     * }
     * }
     *
     * @throws ConnectionLost if the connection failed and nothing is buffered
     * @throws IllegalStateException if another coroutine is waiting in a read
     */
    public int tryRead(ByteBuffer dst) {
        return readInto(dst, false);
    }

    private int readInto(ByteBuffer dst, boolean wait) {
        checkNotWaiting();
        if (!dst.hasRemaining()) {
            return 0;
        }
        if (head < tail) {
            int k = Math.min(dst.remaining(), tail - head);
            dst.put(buf, head, k);
            consumed(k);
            return k;
        }
        if (eof) {
            return -1;
        }
        throwIfFailed();
        int oldLimit = dst.limit();
        if (!dst.isDirect() && dst.remaining() > MAX_IO) {
            dst.limit(dst.position() + MAX_IO);
        }
        try {
            return transportRead(dst, wait);
        } finally {
            dst.limit(oldLimit);
        }
    }

    /**
     * Reads exactly {@code n} bytes, waiting as long as it takes.
     *
     * @throws IncompleteRead if the stream ends first; it carries the bytes that arrived, which leave the buffer
     * @throws ConnectionLost if the connection fails first; the bytes that arrived stay buffered
     * @throws dev.spindle.task.Cancelled if cancelled while waiting; the bytes that arrived stay buffered
     */
    public byte[] readExactly(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("n must not be negative: " + n);
        }
        checkNotWaiting();
        if (tail - head >= n) {
            return take(n);
        }
        if (n <= DIRECT_THRESHOLD) {
            while (tail - head < n) {
                if (!fill(n - (tail - head))) {
                    throw new IncompleteRead(take(tail - head), n);
                }
            }
            return take(n);
        }
        // Large: straight into the result, sparing a copy through the buffer.
        byte[] out = new byte[n];
        int got = tail - head;
        System.arraycopy(buf, head, out, 0, got);
        consumed(got);
        boolean keep = true; // whether the bytes in out stay the caller's (success or IncompleteRead)
        try {
            while (got < n) {
                if (eof) {
                    throw new IncompleteRead(Arrays.copyOf(out, got), n);
                }
                throwIfFailed();
                int r = transportRead(ByteBuffer.wrap(out, got, Math.min(n - got, MAX_IO)), true);
                if (r > 0) {
                    got += r;
                }
            }
            return out;
        } catch (IncompleteRead e) {
            throw e;
        } catch (Throwable e) {
            keep = false;
            throw e;
        } finally {
            if (!keep) {
                unread(out, got);
            }
        }
    }

    /**
     * Reads up to and including the first {@code separator}, waiting for it.
     *
     * @throws LimitOverrun if the separator is not within {@link #limit()} bytes; nothing is consumed
     * @throws IncompleteRead if the stream ends before the separator; it carries what was left, which leaves the
     *     buffer
     * @throws ConnectionLost if the connection fails first; what arrived stays buffered
     * @throws dev.spindle.task.Cancelled if cancelled while waiting; what arrived stays buffered
     */
    public byte[] readUntil(byte[] separator) {
        Objects.requireNonNull(separator, "separator");
        int sepLen = separator.length;
        if (sepLen == 0) {
            throw new IllegalArgumentException("the separator must not be empty");
        }
        checkNotWaiting();
        int scanned = 0; // bytes at the front already known not to start the separator
        while (true) {
            int pending = tail - head;
            if (pending - scanned >= sepLen) {
                int at = indexOf(buf, head + scanned, tail, separator);
                if (at >= 0) {
                    int chunk = at - head;
                    if (chunk > limit) {
                        throw new LimitOverrun(
                                "separator found " + chunk + " bytes in, beyond the limit of " + limit, chunk + sepLen);
                    }
                    return take(chunk + sepLen);
                }
                scanned = pending + 1 - sepLen;
                if (scanned > limit) {
                    throw new LimitOverrun("separator not found within the limit of " + limit + " bytes", scanned);
                }
            }
            if (!fill(Math.max(1, Math.min(capacityHint, limit + sepLen - pending)))) {
                throw new IncompleteRead(take(tail - head), -1);
            }
        }
    }

    /**
     * Reads one line, up to and including {@code '\n'}. At the end of the stream returns what is left without a
     * newline, then an empty array.
     *
     * <p>Unlike asyncio's {@code readline}, a {@link LimitOverrun} consumes nothing here either: the caller decides
     * what to skip.
     *
     * @throws LimitOverrun if no newline is within {@link #limit()} bytes; nothing is consumed
     * @throws ConnectionLost if the connection fails first; what arrived stays buffered
     * @throws dev.spindle.task.Cancelled if cancelled while waiting; what arrived stays buffered
     */
    public byte[] readLine() {
        try {
            return readUntil(NEWLINE);
        } catch (IncompleteRead e) {
            return e.rawPartial();
        }
    }

    /**
     * The lines until the end of the stream, decoded as UTF-8, without their {@code "\n"} or {@code "\r\n"}: an
     * {@link AsyncIterator} for a for-each loop in a coroutine. Each step may throw what {@link #readLine()} throws.
     * Closing the iterator (try-with-resources around the loop) puts a line fetched ahead by {@code hasNext()} but
     * not taken back into the buffer; it does not close the connection.
     */
    public AsyncIterator<String> lines() {
        return new Lines();
    }

    /**
     * Puts {@code data} back in front of the buffered bytes: the next reads return it first, then what was buffered,
     * then what arrives. For a protocol layer that read past its part of the stream (an HTTP server that took a
     * WebSocket client's first frame along with the upgrade request, a parser that looked ahead) and hands the
     * connection on as a plain reader. The array is copied; the end of the stream and a failure stay where they were,
     * after the bytes.
     *
     * {@snippet :
     * byte[] head = reader.readUntil("\r\n\r\n".getBytes(US_ASCII));
     * byte[] extra = parseAndReturnWhatFollowsTheHead(head);
     * reader.unread(extra); // the next protocol reads these first
     * }
     *
     * <p>Bytes unread before a {@link StreamWriter#startTls} are handed to the TLS handshake, as buffered bytes are:
     * unread only bytes of the stream as it is at that point.
     *
     * @throws IllegalStateException if a coroutine is waiting in a read of this reader, or during a startTls
     */
    public void unread(byte[] data) {
        unread(data, 0, data.length);
    }

    /** {@link #unread(byte[])} of {@code data[off, off + len)}. */
    public void unread(byte[] data, int off, int len) {
        Objects.checkFromIndexSize(off, len, data.length);
        checkNotWaiting();
        if (len == 0) {
            return;
        }
        if (head >= len) {
            head -= len;
            System.arraycopy(data, off, buf, head, len);
            return;
        }
        int pending = tail - head;
        byte[] grown = new byte[len + pending];
        System.arraycopy(data, off, grown, 0, len);
        System.arraycopy(buf, head, grown, len, pending);
        buf = grown;
        head = 0;
        tail = len + pending;
    }

    /**
     * Whether everything has been read and the peer has closed its end (asyncio's {@code at_eof}). Never waits: with
     * nothing buffered it takes what has arrived without waiting, so the answer is as fresh as the kernel's.
     */
    public boolean atEof() {
        if (head < tail) {
            return false;
        }
        if (eof) {
            return true;
        }
        if (error != null || waiting || upgrading) {
            return false; // upgrading: the bytes on the connection are the handshake's
        }
        makeRoom(capacityHint);
        int n;
        try {
            n = transport.tryRead(ByteBuffer.wrap(buf, tail, Math.min(buf.length - tail, MAX_IO)));
        } catch (ClosedChannelException e) {
            n = -1;
        } catch (IOException e) {
            error = Peers.lost(transport.remoteAddress(), e);
            return false;
        }
        if (n < 0) {
            eof = true;
            return true;
        }
        tail += n;
        return false;
    }

    @Override
    public String toString() {
        return "StreamReader[" + Peers.describe(transport.remoteAddress()) + ", buffered=" + (tail - head)
                + (eof ? ", eof" : "") + (error != null ? ", failed" : "") + "]";
    }

    // ---- the buffer -----------------------------------------------------------------------------------------

    /**
     * One read from the transport into the buffer, with at least {@code room} bytes free for it, waiting until
     * something arrives. Returns {@code false} at the end of the stream (buffered bytes may remain).
     */
    private boolean fill(int room) {
        if (eof) {
            return false;
        }
        throwIfFailed();
        makeRoom(room);
        int space = Math.min(buf.length - tail, MAX_IO);
        int n = transportRead(ByteBuffer.wrap(buf, tail, space), true);
        if (n < 0) {
            return false;
        }
        tail += n;
        if (n == space && capacityHint < MAX_ADAPTIVE) {
            capacityHint = Math.min(MAX_ADAPTIVE, Math.max(capacityHint, buf.length) * 2);
        }
        return true;
    }

    /** Reads from the transport into {@code dst}, waiting for bytes if {@code wait}; -1 (and eof set) at the end. */
    private int transportRead(ByteBuffer dst, boolean wait) {
        waiting = wait;
        try {
            int n = wait ? transport.read(dst) : transport.tryRead(dst);
            if (n < 0) {
                eof = true;
            }
            return n;
        } catch (ClosedChannelException e) {
            eof = true; // closed on this side: the stream has ended for us, as after asyncio's connection_lost(None)
            return -1;
        } catch (IOException e) {
            throw error = Peers.lost(transport.remoteAddress(), e);
        } finally {
            waiting = false;
        }
    }

    /** Makes {@code room} free bytes after {@code tail}: compacting when that suffices, else growing. */
    private void makeRoom(int room) {
        if (buf.length - tail >= room) {
            return;
        }
        int pending = tail - head;
        int needed = pending + room;
        if (needed <= buf.length) {
            System.arraycopy(buf, head, buf, 0, pending);
        } else {
            byte[] grown = new byte[Math.max(needed, Math.max(capacityHint, MIN_CAPACITY))];
            System.arraycopy(buf, head, grown, 0, pending);
            buf = grown;
        }
        head = 0;
        tail = pending;
    }

    private byte[] take(int k) {
        if (k == 0) {
            return NOTHING;
        }
        byte[] out = Arrays.copyOfRange(buf, head, head + k);
        consumed(k);
        return out;
    }

    private void consumed(int k) {
        head += k;
        if (head == tail) {
            head = 0;
            tail = 0;
            if (buf.length > MAX_ADAPTIVE) {
                buf = NOTHING; // grown for a large limit or read: give the memory back once drained
            }
        }
    }

    /** Puts {@code bytes[0, len)} back at the front of the buffer. */
    private void unread(byte[] bytes, int len) {
        if (len == 0) {
            return;
        }
        int pending = tail - head;
        if (pending == 0 && bytes.length >= len) {
            buf = bytes; // adopt it: no copy
            head = 0;
            tail = len;
        } else if (head >= len) {
            head -= len;
            System.arraycopy(bytes, 0, buf, head, len);
        } else {
            byte[] joined = new byte[Math.max(len + pending, buf.length)];
            System.arraycopy(bytes, 0, joined, 0, len);
            System.arraycopy(buf, head, joined, len, pending);
            buf = joined;
            head = 0;
            tail = len + pending;
        }
    }

    private void throwIfFailed() {
        if (error != null) {
            throw error;
        }
    }

    private void checkNotWaiting() {
        if (upgrading) {
            throw new IllegalStateException("cannot read from " + Peers.describe(transport.remoteAddress())
                    + " while startTls is handshaking; read after it returns");
        }
        if (waiting) {
            throw new IllegalStateException(
                    "another coroutine is already waiting to read from " + Peers.describe(transport.remoteAddress()));
        }
    }

    // ---- startTls -------------------------------------------------------------------------------------------

    /**
     * The first half of a startTls: checks that this reader can hand its connection over, then takes what it has
     * buffered (bytes of the peer's first TLS records, if the peer sent them right behind the plain-text part) for
     * the TLS layer, and refuses reads until {@link #finishUpgrade}. Returns {@code null} if nothing was buffered.
     */
    ByteBuffer beginUpgrade() {
        checkNotWaiting();
        throwIfFailed();
        if (eof) {
            throw new IllegalStateException(
                    "cannot startTls: " + Peers.describe(transport.remoteAddress()) + " has closed its side");
        }
        upgrading = true;
        ByteBuffer rest = head == tail ? null : ByteBuffer.wrap(Arrays.copyOfRange(buf, head, tail));
        head = 0;
        tail = 0;
        buf = NOTHING;
        return rest;
    }

    /** For {@link StreamWriter#pairedWith}'s check only. */
    Transport transportForPairing() {
        return transport;
    }

    /**
     * The second half: reads go on over {@code secured}, or, when the handshake failed ({@code secured} null), fail
     * with {@code failure}.
     */
    void finishUpgrade(Transport secured, ConnectionLost failure) {
        upgrading = false;
        if (secured != null) {
            transport = secured;
        } else {
            error = failure;
        }
    }

    static int indexOf(byte[] a, int from, int to, byte[] sep) {
        byte first = sep[0];
        int last = to - sep.length;
        if (sep.length == 1) {
            for (int i = from; i < to; i++) {
                if (a[i] == first) {
                    return i;
                }
            }
            return -1;
        }
        outer:
        for (int i = from; i <= last; i++) {
            if (a[i] != first) {
                continue;
            }
            for (int j = 1; j < sep.length; j++) {
                if (a[i + j] != sep[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** The iterator of {@link #lines()}: fetches one raw line ahead in {@code hasNext}. */
    private final class Lines implements AsyncIterator<String> {
        private byte[] ahead;
        private boolean done;

        @Override
        public boolean hasNext() {
            if (ahead != null) {
                return true;
            }
            if (done) {
                return false;
            }
            byte[] line = readLine();
            if (line.length == 0) {
                done = true;
                return false;
            }
            ahead = line;
            return true;
        }

        @Override
        public String next() {
            if (!hasNext()) {
                throw new NoSuchElementException("the stream has ended");
            }
            byte[] line = ahead;
            ahead = null;
            int end = line.length;
            if (end > 0 && line[end - 1] == '\n') {
                end--;
                if (end > 0 && line[end - 1] == '\r') {
                    end--;
                }
            }
            return new String(line, 0, end, StandardCharsets.UTF_8);
        }

        @Override
        public void close() {
            if (ahead != null) {
                unread(ahead, ahead.length);
                ahead = null;
            }
            done = true;
        }
    }
}
