package dev.spindle.io;

import java.io.EOFException;
import java.util.Arrays;

/**
 * The stream ended before a read could complete (asyncio's {@code IncompleteReadError}): thrown by
 * {@link StreamReader#readExactly} when fewer than the asked bytes arrived before the end of the stream, and by
 * {@link StreamReader#readUntil} when the stream ended before the separator. The bytes that did arrive are in
 * {@link #partial()}; they are no longer in the reader's buffer. The cause is an {@link EOFException}.
 *
 * {@snippet :
 * try {
 *     byte[] header = reader.readExactly(16);
 * } catch (IncompleteRead e) {
 *     log("peer left after " + e.partial().length + " of " + e.expected() + " bytes");
 * }
 * }
 */
public final class IncompleteRead extends StreamError {
    private static final long serialVersionUID = 1L;

    private final byte[] partial;
    private final int expected;

    /**
     * @param partial the bytes read before the end of the stream (kept, not copied)
     * @param expected how many bytes were asked for, or -1 when the read was for a separator
     */
    public IncompleteRead(byte[] partial, int expected) {
        super(
                partial.length + " bytes read on a total of " + (expected < 0 ? "undefined" : expected)
                        + " expected bytes",
                new EOFException("end of stream"));
        this.partial = partial;
        this.expected = expected;
    }

    /** The bytes that arrived before the end of the stream (a copy). */
    public byte[] partial() {
        return Arrays.copyOf(partial, partial.length);
    }

    /** The partial bytes themselves, for the reader's own use (readLine returns them). */
    byte[] rawPartial() {
        return partial;
    }

    /** How many bytes the read asked for, or -1 when it read until a separator. */
    public int expected() {
        return expected;
    }
}
