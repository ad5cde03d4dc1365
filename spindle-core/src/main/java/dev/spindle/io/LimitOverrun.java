package dev.spindle.io;

import java.io.IOException;

/**
 * A line or separated chunk is longer than the reader's {@linkplain StreamReader#limit() limit} (asyncio's
 * {@code LimitOverrunError}): {@link StreamReader#readUntil} or {@link StreamReader#readLine} found the separator
 * too far, or did not find it within the limit. Nothing is consumed: the data stays in the reader's buffer, so the
 * caller may skip it ({@link StreamReader#read(int)} with {@link #consumed()}), read it in pieces, or give up on the
 * connection. The reader's memory stays bounded by the limit, whatever the peer sends.
 *
 * {@snippet :
 * try {
 *     byte[] line = reader.readLine();
 * } catch (LimitOverrun e) {
 *     writer.write("line too long\n".getBytes(US_ASCII));
 *     writer.close();
 * }
 * }
 */
public final class LimitOverrun extends StreamError {
    private static final long serialVersionUID = 1L;

    private final int consumed;

    public LimitOverrun(String message, int consumed) {
        super(message, new IOException(message));
        this.consumed = consumed;
    }

    /**
     * How many bytes would have to be consumed to get past the problem: up to and including the separator when it
     * was found beyond the limit, or the bytes scanned so far when it was not found.
     */
    public int consumed() {
        return consumed;
    }
}
