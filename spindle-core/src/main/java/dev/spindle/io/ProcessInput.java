package dev.spindle.io;

import dev.spindle.io.internal.OutboundPipe;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.ClosedChannelException;

/**
 * The parent's end of a child process's stdin: {@link Subprocess#stdin()} (asyncio's {@code process.stdin}, a
 * {@code StreamWriter}).
 *
 * {@snippet :
 * Subprocess p = Subprocess.exec("sort");
 * for (String w : words) {
 *     p.stdin().write((w + "\n").getBytes(UTF_8)); // never waits
 *     p.stdin().drain();                           // waits while more than 64 KiB are unwritten
 * }
 * p.stdin().close();                                // sort reads the end of its input
 * }
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li>Confined to the loop that started the process: call it from that loop's coroutines.
 *   <li>{@link #write} never waits: it copies the bytes into a buffer that a small thread of its own (the pump)
 *       writes to the pipe in order. {@link #drain()} bounds that buffer: it returns at once while at most
 *       {@value #HIGH_WATER} bytes are unwritten, and otherwise waits until at most {@value #LOW_WATER} are
 *       (asyncio's water marks). Call it after writes in a loop, or memory grows with a child that reads slowly.
 *   <li>{@link #close()} does not wait: the pipe is closed once everything written so far has reached it, and the
 *       child then reads the end of its input. {@link #waitClosed()} waits for that.
 * </ul>
 *
 * <h2>Cancellation</h2>
 * A cancelled {@link #drain()} or {@link #waitClosed()} (or a timeout around it) changes nothing: the buffered bytes
 * are still written.
 *
 * <h2>Errors</h2>
 * When the child stops reading (it closed its stdin or exited), writing fails with "Broken pipe". The pump drops
 * what is left, and the next {@link #write} or {@link #drain()} throws an {@link UncheckedIOException} naming the
 * pipe ("stdin of process 42 is broken: ..."). Writing after {@link #close()} throws
 * {@link IllegalStateException}.
 */
public final class ProcessInput {
    /** {@link #drain()} waits when more than this many bytes are unwritten: 64 KiB. */
    public static final int HIGH_WATER = 64 * 1024;

    /** ... and then until at most this many are: 16 KiB. */
    public static final int LOW_WATER = 16 * 1024;

    private final OutboundPipe pipe;

    ProcessInput(OutboundPipe pipe) {
        this.pipe = pipe;
    }

    /**
     * Copies {@code data} into the buffer; never waits.
     *
     * @throws IllegalStateException after {@link #close()}
     * @throws UncheckedIOException if the pipe is broken
     */
    public void write(byte[] data) {
        byte[] copy = data.clone();
        try {
            pipe.enqueue(copy);
        } catch (ClosedChannelException e) {
            throw new IllegalStateException(pipe.name() + " is closed", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }

    /**
     * Waits while the buffer is over {@link #HIGH_WATER}, until it is down to {@link #LOW_WATER}; returns at once
     * otherwise.
     *
     * @throws UncheckedIOException if the pipe is broken (even when nothing is buffered)
     */
    public void drain() {
        try {
            pipe.awaitBuffered(pipe.buffered() > HIGH_WATER ? LOW_WATER : Long.MAX_VALUE);
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }

    /** Closes the pipe once everything written so far has reached it; does not wait. Idempotent. */
    public void close() {
        pipe.shutdownOutput();
    }

    /** Waits until the pipe is closed: after {@link #close()}, once everything is written, or when it broke. */
    public void waitClosed() {
        pipe.awaitClosed();
    }

    /** Whether {@link #close()} was called. */
    public boolean isClosing() {
        return pipe.isClosing();
    }

    /** Bytes written but not yet handed to the pipe. */
    public long bufferSize() {
        return pipe.buffered();
    }

    /** The transport underneath, for {@link Subprocess#communicate}. */
    OutboundPipe pipe() {
        return pipe;
    }

    @Override
    public String toString() {
        return "ProcessInput[" + pipe.name() + "]";
    }
}
