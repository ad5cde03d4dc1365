package dev.spindle.io.internal;

import dev.spindle.loop.internal.EventLoop;
import dev.spindle.sync.internal.WaitQueue;
import dev.spindle.task.Task;
import dev.spindle.task.internal.Suspension;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NonReadableChannelException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * Not API: a pipe the loop writes (a child's stdin): coroutines hand bytes over on the loop's thread, and the pump
 * thread writes them to the blocking stream in order and reports back how much it wrote. See {@link PipeTransport}
 * for the design. Reading is not supported ({@link NonReadableChannelException}).
 *
 * <p>{@link #write} waits while {@code limit} bytes wait to be written; {@link #enqueue} never waits and lets a
 * caller bound the buffer itself with {@link #awaitBuffered} (a stream writer's {@code drain}).
 *
 * <p>What a cancellation leaves behind: a cancelled {@link #write} leaves {@code src.position()} after the bytes
 * handed over, which will be written; a cancelled {@link #awaitBuffered} or {@link #awaitClosed} changes nothing.
 *
 * <h2>Fields</h2>
 * {@code buffered}, {@code closing}, {@code closed}, {@code failure}, {@code waiters}: the loop's thread only.
 * {@code queue}: the loop adds, the pump takes. The volatile flags tell the pump what to do next.
 */
public final class OutboundPipe extends PipeTransport {
    private final OutputStream out;

    private final ConcurrentLinkedQueue<byte[]> queue = new ConcurrentLinkedQueue<>();
    /** Bytes handed over and not yet written to the pipe. */
    private long buffered;
    /** {@link #shutdownOutput} or {@link #close} was called: no more writes. */
    private boolean closing;
    /** The pump has closed the pipe (and ended). */
    private boolean closed;

    private IOException failure;
    /** Writers waiting for room, drainers and closers: all re-check after each wake-up. */
    private final WaitQueue waiters = new WaitQueue();

    /** Close the pipe once everything handed over is written. */
    private volatile boolean endRequested;
    /** Close the pipe at once, dropping what is left. */
    private volatile boolean discard;
    /** The child is gone: writing more is pointless. */
    private volatile boolean peerGone;

    private volatile boolean pumpIdle;

    OutboundPipe(EventLoop loop, OutputStream out, String name, int limit) {
        super(loop, name, limit);
        this.out = out;
    }

    @Override
    public int read(ByteBuffer dst) {
        throw new NonReadableChannelException();
    }

    @Override
    public int tryRead(ByteBuffer dst) {
        throw new NonReadableChannelException();
    }

    /**
     * Hands all of {@code src} over, waiting while {@code limit} bytes wait to be written.
     *
     * @throws ClosedChannelException after {@link #shutdownOutput} or {@link #close}
     * @throws IOException if writing to the pipe failed (the child closed its end or exited)
     */
    @Override
    public void write(ByteBuffer src) throws IOException {
        Task<?> self = Suspension.currentTask("writing to " + name);
        while (true) {
            tryWrite(src);
            if (!src.hasRemaining()) {
                return;
            }
            waiters.park(self, null);
        }
    }

    @Override
    public int tryWrite(ByteBuffer src) throws IOException {
        checkWritable();
        int n = (int) Math.min(src.remaining(), Math.max(0, limit - buffered));
        if (n == 0) {
            return 0;
        }
        byte[] b = new byte[n];
        src.get(b);
        handOver(b);
        return n;
    }

    /**
     * Hands {@code data} over without waiting, past the limit if need be. The array is kept, not copied: the
     * caller must not change it afterwards.
     */
    public void enqueue(byte[] data) throws IOException {
        checkWritable();
        if (data.length > 0) {
            handOver(data);
        }
    }

    private void handOver(byte[] b) {
        buffered += b.length;
        queue.add(b);
        if (pumpIdle) {
            LockSupport.unpark(pump);
        }
    }

    private void checkWritable() throws IOException {
        loop.checkThread("writing to " + name);
        if (failure != null) {
            throw new IOException(name + " is broken: " + failure.getMessage(), failure);
        }
        if (closing) {
            throw new ClosedChannelException();
        }
    }

    /** Bytes handed over and not yet written. Loop thread. */
    public long buffered() {
        return buffered;
    }

    /**
     * Waits until at most {@code low} bytes are left to write.
     *
     * @throws IOException if writing to the pipe failed
     */
    public void awaitBuffered(long low) throws IOException {
        Task<?> self = Suspension.currentTask("draining " + name);
        while (true) {
            if (failure != null) {
                throw new IOException(name + " is broken: " + failure.getMessage(), failure);
            }
            if (buffered <= low || closed) {
                return;
            }
            waiters.park(self, null);
        }
    }

    /** Waits until the pump has closed the pipe: everything written after {@link #shutdownOutput}, or a failure. */
    public void awaitClosed() {
        Task<?> self = Suspension.currentTask("waiting for " + name + " to close");
        while (!closed) {
            waiters.park(self, null);
        }
    }

    /** Whether {@link #shutdownOutput} or {@link #close} was called. Loop thread. */
    public boolean isClosing() {
        return closing;
    }

    /** The failure that broke the pipe, or {@code null}. Loop thread. */
    public IOException failure() {
        return failure;
    }

    /** Closes the pipe once everything handed over is written: the child then reads the end of its input. */
    @Override
    public void shutdownOutput() {
        loop.checkThread("closing " + name);
        if (closing) {
            return;
        }
        closing = true;
        endRequested = true;
        LockSupport.unpark(pump);
    }

    @Override
    public boolean isOpen() {
        return !closing;
    }

    /** Closes the pipe at once, dropping what was not written yet. */
    @Override
    public void close() {
        loop.checkThread("closing " + name);
        if (closed || discard) {
            return;
        }
        closing = true;
        discard = true;
        endRequested = true;
        queue.clear();
        buffered = 0;
        LockSupport.unpark(pump);
        waiters.wakeAll(Boolean.TRUE);
    }

    /** The child exited: the pump closes the pipe once it has nothing left to write. Any thread. */
    void peerGone() {
        peerGone = true;
        LockSupport.unpark(pump);
    }

    // ---- the pump thread ----------------------------------------------------------------------------------

    @Override
    void pump() {
        IOException error = null;
        try {
            while (!discard) {
                byte[] b = queue.poll();
                if (b == null) {
                    if (endRequested) {
                        // The loop adds before it raises the flag, so what it added last is visible now.
                        b = queue.poll();
                        if (b == null) {
                            break;
                        }
                    } else {
                        out.flush();
                        if (peerGone || loop.isClosed()) {
                            break;
                        }
                        pumpIdle = true;
                        if (queue.isEmpty() && !endRequested && !peerGone) {
                            LockSupport.parkNanos(this, LOOP_CHECK_NANOS);
                        }
                        pumpIdle = false;
                        continue;
                    }
                }
                for (int off = 0; off < b.length && !discard; off += CHUNK) {
                    int n = Math.min(CHUNK, b.length - off);
                    out.write(b, off, n);
                    if (queue.isEmpty()) {
                        out.flush(); // small writes are coalesced in the stream's buffer while more are queued
                    }
                    if (!hand(() -> written(n))) {
                        return; // the loop is closed: finally closes the pipe
                    }
                }
            }
            out.close();
        } catch (IOException e) {
            error = e;
        } finally {
            try {
                out.close();
            } catch (IOException ignored) {
                // already reported, or nothing left to tell
            }
        }
        IOException e = error;
        hand(() -> pipeClosed(e));
    }

    // ---- handed to the loop -------------------------------------------------------------------------------

    private void written(int n) {
        if (!discard) {
            buffered -= n;
        }
        waiters.wakeAll(Boolean.TRUE);
    }

    private void pipeClosed(IOException error) {
        closed = true;
        buffered = 0;
        if (!discard) {
            if (error != null) {
                failure = error;
            } else if (!closing) {
                failure = new IOException("the process exited");
            }
        }
        waiters.wakeAll(Boolean.TRUE);
    }
}
