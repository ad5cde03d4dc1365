package dev.spindle.http.websocket.internal;

import java.util.Arrays;

/**
 * A growable byte array with a hard limit: where a fragmented or inflated message is assembled. Going past the limit
 * is the peer's fault, so it throws {@link ProtocolError} 1009, before allocating for it.
 */
final class MessageBuffer {
    private final long limit;
    private byte[] buf = new byte[0];
    private int size;

    MessageBuffer(long limit) {
        this.limit = limit;
    }

    int size() {
        return size;
    }

    byte[] array() {
        return buf;
    }

    void append(byte[] b, int off, int len) {
        ensure(len);
        System.arraycopy(b, off, buf, size, len);
        size += len;
    }

    /** Makes room for at least {@code extra} more bytes (within the limit); returns the room there is. */
    int ensure(int extra) {
        if ((long) size + extra > limit) {
            throw tooBig((long) size + extra);
        }
        if (buf.length - size < extra) {
            long want = Math.max((long) size + extra, Math.max(256, 2L * buf.length));
            want = Math.min(want, Math.min(limit, Integer.MAX_VALUE - 64));
            buf = Arrays.copyOf(buf, (int) want);
        }
        return buf.length - size;
    }

    /**
     * Room for an inflater to write into: one byte more than the limit allows in all, so that output past the limit
     * shows (and {@link #advance} refuses it) without the inflater ever producing more than that.
     */
    int ensureRoomForInflate() {
        if (size == buf.length) {
            long want = Math.min(Math.max(256, 2L * buf.length), Math.min(limit + 1, Integer.MAX_VALUE - 64));
            if (want <= size) {
                throw tooBig(size + 1L);
            }
            buf = Arrays.copyOf(buf, (int) want);
        }
        return buf.length - size;
    }

    void advance(int n) {
        size += n;
        if (size > limit) {
            throw tooBig(size);
        }
    }

    /** The bytes gathered, and an empty buffer for the next message (the array is handed over, not copied, if full). */
    byte[] take() {
        byte[] out = size == buf.length ? buf : Arrays.copyOf(buf, size);
        buf = new byte[0];
        size = 0;
        return out;
    }

    void clear() {
        buf = new byte[0];
        size = 0;
    }

    long limit() {
        return limit;
    }

    ProtocolError tooBig(long size) {
        return new ProtocolError(1009, "message of " + size + "+ bytes, over the limit of " + limit);
    }
}
