package dev.spindle.http.websocket.internal;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Turns bytes into {@link Frame}s (RFC 6455 §5.2), with no I/O: the caller appends what the socket gave (through
 * {@link #space} and {@link #filled}, or {@link #feed}), then takes frames with {@link #next()} until it returns
 * {@code null} ("need more", never an error).
 *
 * <h2>What it refuses</h2>
 * Each check runs as soon as the two first bytes (or the length bytes) are there, before any payload is buffered, so
 * a hostile peer cannot make it buffer what it will refuse anyway:
 * <ul>
 *   <li>1002: RSV2 or RSV3 set; RSV1 set when no extension negotiated it, or on a control or continuation frame;
 *       a reserved opcode; a control frame fragmented or longer than 125 bytes; a 64-bit length with its high bit
 *       set; a frame masked or not contrary to the role (a server receives only masked frames, a client only
 *       unmasked ones: §5.1).
 *   <li>1009: a payload longer than the limit given.
 * </ul>
 * Fragmentation order and UTF-8 are the {@link MessageAssembler}'s business.
 *
 * <h2>Buffering</h2>
 * One array, {@code buf[head, tail)} unparsed. It grows to hold the frame being parsed whole (so at most the limit
 * plus a header), and shrinks back once a large frame has been taken and nothing is left.
 */
public final class FrameDecoder {
    private static final int INITIAL = 4096;
    private static final int KEEP = 64 * 1024;

    private final boolean expectMasked;
    private final long maxPayload;
    private boolean rsv1Allowed;

    private byte[] buf = new byte[0];
    private int head;
    private int tail;

    /**
     * @param expectMasked true on a server (client frames must be masked), false on a client
     * @param rsv1Allowed whether an extension (permessage-deflate) gave RSV1 a meaning
     * @param maxPayload the longest payload accepted (1009 beyond)
     */
    public FrameDecoder(boolean expectMasked, boolean rsv1Allowed, long maxPayload) {
        this.expectMasked = expectMasked;
        this.rsv1Allowed = rsv1Allowed;
        this.maxPayload = maxPayload;
    }

    /** Appends {@code b[off, off + len)}. */
    public void feed(byte[] b, int off, int len) {
        ensureRoom(len);
        System.arraycopy(b, off, buf, tail, len);
        tail += len;
    }

    /**
     * Room to read into, at least enough for the frame being parsed (or some bytes if that is not known yet): the
     * caller reads into it, then calls {@link #filled} with the count. The buffer is a view; do not keep it.
     */
    public ByteBuffer space() {
        ensureRoom(Math.max(1024, (int) Math.min(Integer.MAX_VALUE - 64, missing())));
        return ByteBuffer.wrap(buf, tail, buf.length - tail);
    }

    /** Records {@code n} bytes read into the last {@link #space()}. */
    public void filled(int n) {
        if (n < 0 || n > buf.length - tail) {
            throw new IllegalArgumentException("filled " + n + " of " + (buf.length - tail));
        }
        tail += n;
    }

    /** Whether bytes of a frame not yet complete are buffered. */
    public boolean hasPartialFrame() {
        return tail > head;
    }

    /**
     * The next whole frame, unmasked, or {@code null} if more bytes are needed.
     *
     * @throws ProtocolError for a frame the connection must be failed for
     */
    public Frame next() {
        int avail = tail - head;
        if (avail < 2) {
            return null;
        }
        int b0 = buf[head] & 0xff;
        int b1 = buf[head + 1] & 0xff;
        boolean fin = (b0 & 0x80) != 0;
        boolean rsv1 = (b0 & 0x40) != 0;
        int opcode = b0 & 0x0f;
        boolean masked = (b1 & 0x80) != 0;
        int len7 = b1 & 0x7f;
        checkHeader(b0, fin, rsv1, opcode, masked, len7);
        int lengthBytes = len7 == 126 ? 2 : len7 == 127 ? 8 : 0;
        if (avail < 2 + lengthBytes) {
            return null;
        }
        long length;
        int p = head + 2;
        if (len7 == 126) {
            length = ((buf[p] & 0xff) << 8) | (buf[p + 1] & 0xff);
        } else if (len7 == 127) {
            length = long64(p);
        } else {
            length = len7;
        }
        p += lengthBytes;
        checkLength(length); // before waiting for the key and payload: refuse what will not be accepted anyway
        int headerLen = 2 + lengthBytes + (masked ? 4 : 0);
        if (avail - headerLen < length) {
            return null;
        }
        int n = (int) length;
        int key = 0;
        if (masked) {
            key = ((buf[p] & 0xff) << 24)
                    | ((buf[p + 1] & 0xff) << 16)
                    | ((buf[p + 2] & 0xff) << 8)
                    | (buf[p + 3] & 0xff);
            p += 4;
        }
        byte[] payload = n == 0 ? EMPTY : Arrays.copyOfRange(buf, p, p + n);
        if (masked && n > 0) {
            Masking.mask(payload, 0, n, key);
        }
        head = p + n;
        if (head == tail) {
            head = tail = 0;
            if (buf.length > KEEP) {
                buf = new byte[INITIAL]; // a large frame passed: do not hold its buffer on an idle connection
            }
        }
        return new Frame(fin, rsv1, opcode, payload);
    }

    /** Gives RSV1 a meaning (after permessage-deflate was negotiated). */
    public void allowRsv1() {
        rsv1Allowed = true;
    }

    private static final byte[] EMPTY = new byte[0];

    private void checkHeader(int b0, boolean fin, boolean rsv1, int opcode, boolean masked, int len7) {
        if ((b0 & 0x30) != 0) {
            throw new ProtocolError(1002, "RSV2 or RSV3 set, and no extension defines them");
        }
        if (!Opcode.isKnown(opcode)) {
            throw new ProtocolError(1002, "reserved opcode 0x" + Integer.toHexString(opcode));
        }
        if (rsv1) {
            if (!rsv1Allowed) {
                throw new ProtocolError(1002, "RSV1 set, and no extension was negotiated");
            }
            if (Opcode.isControl(opcode) || opcode == Opcode.CONTINUATION) {
                throw new ProtocolError(1002, "RSV1 set on a " + Opcode.name(opcode) + " frame");
            }
        }
        if (Opcode.isControl(opcode)) {
            if (!fin) {
                throw new ProtocolError(1002, "fragmented " + Opcode.name(opcode) + " frame");
            }
            if (len7 > 125) {
                throw new ProtocolError(1002, Opcode.name(opcode) + " frame longer than 125 bytes");
            }
        }
        if (masked != expectMasked) {
            throw new ProtocolError(1002, expectMasked ? "unmasked frame from a client" : "masked frame from a server");
        }
    }

    private void checkLength(long length) {
        if (length < 0) {
            throw new ProtocolError(1002, "64-bit payload length with the most significant bit set");
        }
        if (length > maxPayload) {
            throw new ProtocolError(1009, "frame of " + length + " bytes, over the limit of " + maxPayload);
        }
    }

    private long long64(int p) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (buf[p + i] & 0xff);
        }
        return v;
    }

    /** Bytes still missing for the frame at head, as far as its header tells; a guess while the header is partial. */
    private long missing() {
        int avail = tail - head;
        if (avail < 2) {
            return 14;
        }
        int b1 = buf[head + 1] & 0xff;
        int len7 = b1 & 0x7f;
        int headerLen = 2 + (len7 == 126 ? 2 : len7 == 127 ? 8 : 0) + ((b1 & 0x80) != 0 ? 4 : 0);
        if (avail < headerLen) {
            return headerLen - avail;
        }
        long length = len7 == 126
                ? ((buf[head + 2] & 0xff) << 8) | (buf[head + 3] & 0xff)
                : len7 == 127 ? long64(head + 2) : len7;
        return Math.max(0, headerLen + Math.min(length, maxPayload) - avail);
    }

    private void ensureRoom(int extra) {
        if (buf.length - tail >= extra) {
            return;
        }
        int live = tail - head;
        if (head > 0 && buf.length - live >= extra) {
            System.arraycopy(buf, head, buf, 0, live);
        } else {
            long want = Math.max((long) live + extra, Math.max(INITIAL, 2L * buf.length));
            want = Math.min(want, Math.max((long) live + extra, Integer.MAX_VALUE - 64));
            byte[] nb = new byte[(int) want];
            System.arraycopy(buf, head, nb, 0, live);
            buf = nb;
        }
        tail = live;
        head = 0;
    }
}
