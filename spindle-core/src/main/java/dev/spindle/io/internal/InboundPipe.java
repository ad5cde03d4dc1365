package dev.spindle.io.internal;

import dev.spindle.loop.internal.EventLoop;
import dev.spindle.sync.internal.WaitQueue;
import dev.spindle.task.Task;
import dev.spindle.task.internal.Suspension;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NonWritableChannelException;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Not API: a pipe the loop reads (a child's stdout or stderr): its pump thread reads the blocking stream and hands
 * each chunk to the loop, where coroutines take it with {@link #read}/{@link #tryRead}. See {@link PipeTransport}
 * for the design. Writing is not supported ({@link NonWritableChannelException}).
 *
 * <p>What a cancellation leaves behind: a cancelled {@link #read} took nothing; every byte stays buffered here for
 * the next read.
 *
 * <h2>Fields</h2>
 * {@code chunks}, {@code head}, {@code buffered}, {@code eof}, {@code failure}, {@code closed}, {@code readers}: the
 * loop's thread only. {@code unconsumed}: the bytes the pump has read that no reader has taken yet, added by the
 * pump before it hands a chunk over and subtracted by the loop as readers take them; the pump pauses while it
 * reaches {@code limit}. {@code pumpWaiting}, {@code stop}, {@code unbounded}: flags between the two threads.
 */
public final class InboundPipe extends PipeTransport {
    private final InputStream in;

    private final ArrayDeque<byte[]> chunks = new ArrayDeque<>();
    /** How much of the first chunk readers have taken. */
    private int head;

    private long buffered;
    private boolean eof;
    private IOException failure;
    private boolean closed;
    private final WaitQueue readers = new WaitQueue();

    private final AtomicLong unconsumed = new AtomicLong();
    private volatile boolean pumpWaiting;
    private volatile boolean stop;
    private volatile boolean unbounded;

    InboundPipe(EventLoop loop, InputStream in, String name, int limit) {
        super(loop, name, limit);
        this.in = in;
    }

    /**
     * Reads what is buffered into {@code dst}, waiting until at least one byte is; -1 once the child closed its end
     * and everything was read.
     *
     * @throws ClosedChannelException if this side was closed
     * @throws IOException if reading the pipe failed (after the bytes read before the failure)
     */
    @Override
    public int read(ByteBuffer dst) throws IOException {
        Task<?> self = Suspension.currentTask("reading " + name);
        while (true) {
            int n = tryRead(dst);
            if (n != 0 || !dst.hasRemaining()) {
                return n;
            }
            readers.park(self, null); // a wake-up only: the bytes stay here if this reader is cancelled
        }
    }

    @Override
    public int tryRead(ByteBuffer dst) throws IOException {
        loop.checkThread("reading " + name);
        if (closed) {
            throw new ClosedChannelException();
        }
        if (buffered == 0) {
            if (failure != null) {
                throw new IOException("reading " + name + " failed: " + failure.getMessage(), failure);
            }
            return eof ? -1 : 0;
        }
        int n = 0;
        while (dst.hasRemaining() && !chunks.isEmpty()) {
            byte[] first = chunks.peekFirst();
            int k = Math.min(dst.remaining(), first.length - head);
            dst.put(first, head, k);
            head += k;
            n += k;
            if (head == first.length) {
                chunks.pollFirst();
                head = 0;
            }
        }
        consumed(n);
        return n;
    }

    private void consumed(long n) {
        buffered -= n;
        if (unconsumed.addAndGet(-n) < limit && pumpWaiting) {
            LockSupport.unpark(pump);
        }
    }

    /** Bytes read from the pipe that no reader has taken yet. Loop thread. */
    public long available() {
        return buffered;
    }

    /**
     * Waits until the child has closed its end (or reading failed, or this side was closed), taking nothing: the
     * bytes stay buffered here, so a cancelled wait loses none. With {@link #setUnbounded} on, everything the child
     * wrote is then buffered, and reads take it without waiting. Loop thread, in a coroutine.
     */
    public void awaitEnd() {
        Task<?> self = Suspension.currentTask("waiting for the end of " + name);
        while (!eof && failure == null && !closed) {
            readers.park(self, null);
        }
    }

    /**
     * Lifts the bound ({@code true}) or restores it: without it the pump reads as fast as the child writes, however
     * much is unread. For a consumer that keeps everything anyway ({@code communicate}), so that reading one pipe
     * to its end cannot stall the child on another.
     */
    public void setUnbounded(boolean on) {
        unbounded = on;
        if (on && pumpWaiting) {
            LockSupport.unpark(pump);
        }
    }

    @Override
    public void write(ByteBuffer src) {
        throw new NonWritableChannelException();
    }

    @Override
    public int tryWrite(ByteBuffer src) {
        throw new NonWritableChannelException();
    }

    /** Nothing to end: this side only reads. */
    @Override
    public void shutdownOutput() {}

    @Override
    public boolean isOpen() {
        return !closed;
    }

    /**
     * Drops what is buffered and stops the pump; readers waiting fail with {@link ClosedChannelException}. The pump
     * closes the stream when its read in progress returns (at once if it is paused); the child then gets
     * {@code EPIPE} (or {@code SIGPIPE}) on its next write. Loop thread.
     */
    @Override
    public void close() {
        loop.checkThread("closing " + name);
        if (closed) {
            return;
        }
        closed = true;
        stop = true;
        chunks.clear();
        head = 0;
        consumed(buffered);
        LockSupport.unpark(pump);
        readers.wakeAll(Boolean.TRUE);
    }

    // ---- the pump thread ----------------------------------------------------------------------------------

    @Override
    void pump() {
        byte[] buf = new byte[CHUNK];
        try {
            while (awaitRoom()) {
                // never more than the room left, so that at most `limit` bytes wait unread
                int room = unbounded ? CHUNK : (int) Math.max(1, Math.min(CHUNK, limit - unconsumed.get()));
                int n = in.read(buf, 0, room);
                if (n < 0) {
                    hand(this::endOfStream);
                    return;
                }
                if (stop) {
                    return;
                }
                if (n > 0) {
                    byte[] chunk = Arrays.copyOf(buf, n);
                    unconsumed.addAndGet(n);
                    if (!hand(() -> arrived(chunk))) {
                        return; // the loop is closed: nobody can read this any more
                    }
                }
            }
        } catch (IOException e) {
            if (!stop) {
                hand(() -> failed(e));
            }
        } finally {
            try {
                in.close();
            } catch (IOException ignored) {
                // nothing is left to tell
            }
        }
    }

    /** Waits while {@code limit} bytes are unread; {@code false} when the pump must end. Pump thread. */
    private boolean awaitRoom() {
        while (!stop && !unbounded && unconsumed.get() >= limit) {
            if (loop.isClosed()) {
                return false;
            }
            pumpWaiting = true;
            // Re-checked after the flag is up: a reader that took bytes before it saw the flag is seen here.
            if (!stop && !unbounded && unconsumed.get() >= limit) {
                LockSupport.parkNanos(this, LOOP_CHECK_NANOS);
            }
            pumpWaiting = false;
        }
        return !stop;
    }

    // ---- handed to the loop -------------------------------------------------------------------------------

    private void arrived(byte[] chunk) {
        if (closed) {
            unconsumed.addAndGet(-chunk.length);
            return;
        }
        chunks.addLast(chunk);
        buffered += chunk.length;
        readers.wakeAll(Boolean.TRUE);
    }

    private void endOfStream() {
        eof = true;
        readers.wakeAll(Boolean.TRUE);
    }

    private void failed(IOException e) {
        failure = e;
        readers.wakeAll(Boolean.TRUE);
    }
}
