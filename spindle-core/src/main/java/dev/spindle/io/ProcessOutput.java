package dev.spindle.io;

import dev.spindle.gen.AsyncIterator;
import dev.spindle.io.internal.InboundPipe;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.NoSuchElementException;

/**
 * The parent's end of a child process's stdout or stderr: {@link Subprocess#stdout()} and
 * {@link Subprocess#stderr()} (asyncio's {@code process.stdout}, a {@code StreamReader}).
 *
 * {@snippet :
 * Subprocess p = Subprocess.exec("ls", "-l");
 * for (String line : p.stdout().lines()) { // each step suspends this coroutine, not the loop
 *     System.out.println(line);
 * }
 * p.waitFor();
 * }
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li>Confined to the loop that started the process: call it from that loop's coroutines.
 *   <li>A small thread of its own (the pump) reads the pipe ahead, up to {@link #limit()} bytes (64 KiB unless the
 *       builder says otherwise); when that many are unread, it stops reading and the child blocks on its next
 *       write. So memory stays bounded, and a child whose output nobody reads stops, as with asyncio.
 *   <li>{@link #read(int)} returns what is there (at least one byte, waiting if need be); {@link #readLine()} a line
 *       with its {@code '\n'}; {@link #readAll()} everything up to the end. At the end they return an empty array.
 * </ul>
 *
 * <h2>Cancellation</h2>
 * A cancelled read (or a timeout around it) loses nothing: {@code read} and {@code readLine} took nothing, and
 * what a cancelled {@code readAll} had gathered stays buffered for the next read.
 *
 * <h2>Errors</h2>
 * An error reading the pipe is an {@link UncheckedIOException} naming it ("stdout of process 42"), thrown once the
 * bytes read before it are consumed. Reading after {@link #close()} fails the same way, with a
 * {@link ClosedChannelException} cause.
 */
public final class ProcessOutput {
    private static final byte[] EMPTY = new byte[0];
    private static final int MIN_ROOM = 8 * 1024;

    private final InboundPipe pipe;

    /** Bytes taken from the pipe and not yet returned: {@code buf[start..end)}. */
    private byte[] buf = EMPTY;

    private int start;
    private int end;
    /** How many bytes from {@code start} are known to hold no {@code '\n'}. */
    private int scanned;

    private boolean eof;

    ProcessOutput(InboundPipe pipe) {
        this.pipe = pipe;
    }

    /**
     * Returns up to {@code n} bytes, waiting until at least one is there; an empty array at the end of the output
     * (or for {@code n == 0}).
     *
     * @throws IllegalArgumentException if {@code n} is negative
     */
    public byte[] read(int n) {
        pipe.checkThread("ProcessOutput.read");
        if (n < 0) {
            throw new IllegalArgumentException("n must not be negative: " + n);
        }
        if (n == 0) {
            return EMPTY;
        }
        if (start == end && !eof) {
            fill();
        }
        return take(Math.min(n, end - start));
    }

    /**
     * Returns the next line, ending with {@code '\n'}, waiting until it is complete; at the end of the output, what
     * is left (without {@code '\n'}), and then an empty array.
     *
     * @throws IllegalStateException if no {@code '\n'} comes within {@link #limit()} bytes: those bytes stay
     *     buffered (take them with {@link #read(int)})
     */
    public byte[] readLine() {
        pipe.checkThread("ProcessOutput.readLine");
        while (true) {
            int found = -1;
            for (int i = start + scanned; i < end; i++) {
                if (buf[i] == '\n') {
                    found = i;
                    break;
                }
            }
            int length = found >= 0 ? found + 1 - start : end - start;
            if (length > limit() || (found < 0 && !eof && length == limit())) {
                throw new IllegalStateException(pipe.name() + ": no end of line within the limit of " + limit()
                        + " bytes; the bytes stay buffered, to be taken with read(n)");
            }
            if (found >= 0 || eof) {
                return take(length);
            }
            scanned = end - start;
            fill();
        }
    }

    /** Reads up to the end of the output and returns all of it. Its memory is not bounded by {@link #limit()}. */
    public byte[] readAll() {
        pipe.checkThread("ProcessOutput.readAll");
        while (!eof) {
            fill();
        }
        return take(end - start);
    }

    /**
     * The lines as strings, decoded as UTF-8, without their {@code "\n"} or {@code "\r\n"}, for a for-each loop;
     * the iteration ends at the end of the output. Each step is a {@link #readLine()}, with its limit and its
     * cancellation rules. Closing the iterator ends the iteration, not the output.
     */
    public AsyncIterator<String> lines() {
        return new AsyncIterator<>() {
            private String next;
            private boolean done;

            @Override
            public boolean hasNext() {
                if (next != null) {
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
                int len = line.length;
                if (line[len - 1] == '\n') {
                    len--;
                    if (len > 0 && line[len - 1] == '\r') {
                        len--;
                    }
                }
                next = new String(line, 0, len, StandardCharsets.UTF_8);
                return true;
            }

            @Override
            public String next() {
                if (!hasNext()) {
                    throw new NoSuchElementException(pipe.name() + " has ended");
                }
                String s = next;
                next = null;
                return s;
            }

            @Override
            public void close() {
                done = true;
                next = null;
            }
        };
    }

    /** Whether everything was read: the child closed the pipe and nothing is left. Does not wait. */
    public boolean atEof() {
        return start == end && (eof || pipe.atEof());
    }

    /** Bytes that arrived from the child and were not read yet. Does not wait. */
    public long buffered() {
        return (end - start) + pipe.available();
    }

    /** How many unread bytes the pump reads ahead, and the longest line {@link #readLine()} accepts. */
    public int limit() {
        return pipe.limit();
    }

    /**
     * Stops reading: drops what is buffered, and closes the pipe (the child gets {@code EPIPE} or
     * {@code SIGPIPE} when it next writes). Coroutines waiting to read fail. Idempotent.
     */
    public void close() {
        pipe.close();
        buf = EMPTY;
        start = end = scanned = 0;
    }

    /** The transport underneath, for {@link Subprocess#communicate}. */
    InboundPipe pipe() {
        return pipe;
    }

    /** Reads what the pipe has into {@code buf}, waiting for at least one byte; sets {@link #eof} at its end. */
    private void fill() {
        if (end == buf.length) {
            int live = end - start;
            if (start > 0 && buf.length - live >= MIN_ROOM) {
                System.arraycopy(buf, start, buf, 0, live);
            } else {
                byte[] bigger = new byte[Math.max(MIN_ROOM, Math.max(buf.length * 2, live + MIN_ROOM))];
                System.arraycopy(buf, start, bigger, 0, live);
                buf = bigger;
            }
            start = 0;
            end = live;
        }
        int n;
        try {
            n = pipe.read(ByteBuffer.wrap(buf, end, buf.length - end));
        } catch (ClosedChannelException e) {
            throw new UncheckedIOException(pipe.name() + " is closed", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
        if (n < 0) {
            eof = true;
        } else {
            end += n;
        }
    }

    private byte[] take(int n) {
        if (n == 0) {
            return EMPTY;
        }
        byte[] out = Arrays.copyOfRange(buf, start, start + n);
        start += n;
        scanned = Math.max(0, scanned - n);
        if (start == end) {
            start = end = 0;
            if (buf.length > 4 * limit()) {
                buf = EMPTY; // a readAll's big buffer is not kept for later small reads
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return "ProcessOutput[" + pipe.name() + "]";
    }
}
