package dev.spindle.http.websocket.internal;

import java.security.SecureRandom;
import java.util.SplittableRandom;

/**
 * Builds frames (RFC 6455 §5.2): the shortest length encoding, and on a client a fresh masking key per frame (§5.3).
 * Keys come from a fast generator seeded from {@link SecureRandom} once per connection: the RFC asks that a peer
 * cannot predict them (they defend proxies against cache poisoning by a script), and the generator's state is never
 * exposed, while a SecureRandom call per frame would cost more than the frame.
 *
 * <p>Not thread-safe: one per connection, used under its send lock.
 */
public final class FrameEncoder {
    /** The longest header: 2 bytes, an 8-byte length, a 4-byte key. */
    public static final int MAX_HEADER = 14;

    private static final SecureRandom SEEDS = new SecureRandom();

    private final SplittableRandom masks;

    /** @param mask true on a client: every frame is masked */
    public FrameEncoder(boolean mask) {
        this.masks = mask ? new SplittableRandom(SEEDS.nextLong()) : null;
    }

    public boolean masks() {
        return masks != null;
    }

    /** The header size for a payload of {@code len} bytes. */
    public int headerSize(int len) {
        return (len < 126 ? 2 : len < 65536 ? 4 : 10) + (masks != null ? 4 : 0);
    }

    /** A whole frame: header, then {@code p[off, off + len)} (masked on a client; {@code p} is not changed). */
    public byte[] frame(int opcode, boolean fin, boolean rsv1, byte[] p, int off, int len) {
        int h = headerSize(len);
        byte[] out = new byte[h + len];
        System.arraycopy(p, off, out, h, len);
        int key = writeHeader(out, 0, opcode, fin, rsv1, len);
        if (masks != null) {
            Masking.mask(out, h, len, key);
        }
        return out;
    }

    /**
     * Frames {@code buf[payloadOff, payloadOff + len)} in place: writes the header just before the payload (there must
     * be room: {@link #headerSize}) and masks the payload on a client. Returns where the frame starts.
     */
    public int frameInPlace(byte[] buf, int payloadOff, int len, int opcode, boolean fin, boolean rsv1) {
        int start = payloadOff - headerSize(len);
        int key = writeHeader(buf, start, opcode, fin, rsv1, len);
        if (masks != null) {
            Masking.mask(buf, payloadOff, len, key);
        }
        return start;
    }

    /**
     * Writes the header for a payload of {@code len} bytes at {@code dst[at]}; returns the masking key written (0 on
     * a server, which masks nothing).
     */
    public int writeHeader(byte[] dst, int at, int opcode, boolean fin, boolean rsv1, int len) {
        dst[at++] = (byte) ((fin ? 0x80 : 0) | (rsv1 ? 0x40 : 0) | opcode);
        int maskBit = masks != null ? 0x80 : 0;
        if (len < 126) {
            dst[at++] = (byte) (maskBit | len);
        } else if (len < 65536) {
            dst[at++] = (byte) (maskBit | 126);
            dst[at++] = (byte) (len >>> 8);
            dst[at++] = (byte) len;
        } else {
            dst[at++] = (byte) (maskBit | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                dst[at++] = (byte) ((long) len >>> shift);
            }
        }
        if (masks == null) {
            return 0;
        }
        int key = masks.nextInt();
        dst[at] = (byte) (key >>> 24);
        dst[at + 1] = (byte) (key >>> 16);
        dst[at + 2] = (byte) (key >>> 8);
        dst[at + 3] = (byte) key;
        return key;
    }
}
