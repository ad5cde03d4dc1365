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
 * <p>{@link #write} waits while {@code limit} bytes wait to be written, as a socket write waits while the kernel's
 * send buffer is full: a {@link dev.spindle.io.StreamWriter} on top buffers the rest and applies its water marks.
 * {@link #close} is graceful (what was handed over is still written); {@link #awaitClosed} waits for the pipe to
 * close.
 *
 * <p>What a cancellation leaves behind: a cancelled {@link #write} leaves {@code src.position()} after the bytes
 * handed over, which will be written; a cancelled {@link #awaitClosed} changes nothing.
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
            throw new IOException(failure.getMessage(), failure); // the streams layer names the pipe
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
     * Waits until the pump has closed the pipe: everything written after {@link #shutdownOutput} (or
     * {@link #close}), or a failure, or the child's exit.
     */
    @Override
    public void awaitClosed() {
        Task<?> self = Suspension.currentTask("waiting for " + name + " to close");
        while (!closed) {
            waiters.park(self, null);
        }
    }

    /**
     * Closes the pipe once everything handed over is written: the child then reads the end of its input. Writers
     * waiting for room fail with {@link ClosedChannelException}.
     */
    @Override
    public void shutdownOutput() {
        loop.checkThread("closing " + name);
        if (closing) {
            return;
        }
        closing = true;
        endRequested = true;
        LockSupport.unpark(pump);
        waiters.wakeAll(Boolean.TRUE);
    }

    @Override
    public boolean isOpen() {
        return !closing;
    }

    /**
     * {@link #shutdownOutput()}: what was handed over is still written, as a socket's close leaves the bytes in its
     * send buffer to the kernel; {@link #awaitClosed()} waits for the pipe to close.
     */
    @Override
    public void close() {
        shutdownOutput();
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
            while (true) {
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
                for (int off = 0; off < b.length; off += CHUNK) {
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
        buffered -= n;
        waiters.wakeAll(Boolean.TRUE);
    }

    private void pipeClosed(IOException error) {
        closed = true;
        buffered = 0;
        if (error != null) {
            failure = error;
        } else if (!closing) {
            failure = new IOException("the process exited");
        }
        waiters.wakeAll(Boolean.TRUE);
    }
}
