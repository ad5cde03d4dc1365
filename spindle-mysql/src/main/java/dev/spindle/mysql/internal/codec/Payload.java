package dev.spindle.mysql.internal.codec;

import dev.spindle.mysql.ProtocolError;
import java.nio.charset.StandardCharsets;

/**
 * A read cursor over one packet's payload ({@code buf[pos, end)}): the protocol's integer and string encodings, each
 * checked against the payload's end. Reading past the end throws {@link ProtocolError} naming what was being read,
 * never an index exception and never a value made of the next packet's bytes.
 *
 * <p>Not thread-safe; a payload is a view of its decoder's buffer, valid until the decoder's next packet.
 */
public final class Payload {
    /** What {@link #lenencInt()} returns for the NULL marker 0xFB (text rows only). */
    public static final long NULL_LENGTH = -1;

    private byte[] buf;
    private int pos;
    private int end;

    public Payload() {}

    public Payload(byte[] buf) {
        reset(buf, 0, buf.length);
    }

    public Payload(byte[] buf, int off, int len) {
        reset(buf, off, len);
    }

    public Payload reset(byte[] buf, int off, int len) {
        this.buf = buf;
        this.pos = off;
        this.end = off + len;
        return this;
    }

    public byte[] array() {
        return buf;
    }

    public int position() {
        return pos;
    }

    public void position(int p) {
        if (p < 0 || p > end) {
            throw new ProtocolError("packet position " + p + " outside the payload");
        }
        pos = p;
    }

    public int end() {
        return end;
    }

    public int remaining() {
        return end - pos;
    }

    public boolean hasRemaining() {
        return pos < end;
    }

    /** The first byte, without moving. */
    public int peek() {
        need(1, "a header byte");
        return buf[pos] & 0xFF;
    }

    /** Checks that {@code n} more bytes are there; {@code what} names the field for the error. */
    private void need(int n, String what) {
        if (n < 0 || end - pos < n) {
            throw new ProtocolError("truncated packet: " + what + " needs " + n + " bytes, " + (end - pos) + " left");
        }
    }

    public int int1() {
        need(1, "a 1-byte integer");
        return buf[pos++] & 0xFF;
    }

    public int int2() {
        need(2, "a 2-byte integer");
        int v = (buf[pos] & 0xFF) | (buf[pos + 1] & 0xFF) << 8;
        pos += 2;
        return v;
    }

    public int int3() {
        need(3, "a 3-byte integer");
        int v = (buf[pos] & 0xFF) | (buf[pos + 1] & 0xFF) << 8 | (buf[pos + 2] & 0xFF) << 16;
        pos += 3;
        return v;
    }

    public int int4() {
        need(4, "a 4-byte integer");
        int v = (buf[pos] & 0xFF)
                | (buf[pos + 1] & 0xFF) << 8
                | (buf[pos + 2] & 0xFF) << 16
                | (buf[pos + 3] & 0xFF) << 24;
        pos += 4;
        return v;
    }

    public long int6() {
        need(6, "a 6-byte integer");
        long v = 0;
        for (int i = 5; i >= 0; i--) {
            v = v << 8 | (buf[pos + i] & 0xFF);
        }
        pos += 6;
        return v;
    }

    public long int8() {
        need(8, "an 8-byte integer");
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = v << 8 | (buf[pos + i] & 0xFF);
        }
        pos += 8;
        return v;
    }

    /**
     * A length-encoded integer: one byte below 0xFB, or 0xFC + 2 bytes, 0xFD + 3 bytes, 0xFE + 8 bytes. 0xFB (NULL in
     * a text row) gives {@link #NULL_LENGTH}; 0xFF is an error-packet header, never an integer, and throws. An 8-byte
     * value above {@code Long.MAX_VALUE} comes back negative: callers that use it as a length reject it.
     */
    public long lenencInt() {
        int first = int1();
        return switch (first) {
            case 0xFB -> NULL_LENGTH;
            case 0xFC -> int2();
            case 0xFD -> int3();
            case 0xFE -> int8();
            case 0xFF -> throw new ProtocolError("0xFF where a length-encoded integer belongs");
            default -> first;
        };
    }

    /** The length of a length-encoded string, checked against what is left; {@link #NULL_LENGTH} for NULL. */
    public int lenencLength() {
        long n = lenencInt();
        if (n == NULL_LENGTH) {
            return -1;
        }
        if (n < 0 || n > end - pos) {
            throw new ProtocolError("truncated packet: a length-encoded string of " + Long.toUnsignedString(n)
                    + " bytes, " + (end - pos) + " left");
        }
        return (int) n;
    }

    public byte[] lenencBytes() {
        int n = lenencLength();
        if (n < 0) {
            return null;
        }
        return bytes(n);
    }

    public String lenencString() {
        int n = lenencLength();
        if (n < 0) {
            return null;
        }
        String s = new String(buf, pos, n, StandardCharsets.UTF_8);
        pos += n;
        return s;
    }

    public byte[] bytes(int n) {
        need(n, "a fixed-length field");
        byte[] out = new byte[n];
        System.arraycopy(buf, pos, out, 0, n);
        pos += n;
        return out;
    }

    public void skip(int n) {
        need(n, "skipped bytes");
        pos += n;
    }

    /** A string ended by a 0 byte (the 0 is consumed, not returned). */
    public String nulString() {
        int start = pos;
        for (int i = pos; i < end; i++) {
            if (buf[i] == 0) {
                pos = i + 1;
                return new String(buf, start, i - start, StandardCharsets.UTF_8);
            }
        }
        throw new ProtocolError("truncated packet: a NUL-terminated string has no NUL");
    }

    /** Like {@link #nulString()} but bytes. */
    public byte[] nulBytes() {
        int start = pos;
        for (int i = pos; i < end; i++) {
            if (buf[i] == 0) {
                byte[] out = new byte[i - start];
                System.arraycopy(buf, start, out, 0, out.length);
                pos = i + 1;
                return out;
            }
        }
        throw new ProtocolError("truncated packet: a NUL-terminated string has no NUL");
    }

    /** The rest of the payload as a string. */
    public String restString() {
        String s = new String(buf, pos, end - pos, StandardCharsets.UTF_8);
        pos = end;
        return s;
    }

    public byte[] restBytes() {
        return bytes(end - pos);
    }
}
