package dev.spindle.mysql.internal.codec;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Builds one outgoing message (a command and its arguments) in a growable array that starts with room for a packet
 * header, then frames it: {@link #finish(int)} writes the 4-byte header, and splits a payload of 16 MiB - 1 or more
 * into several packets (each full one followed by the next, and an empty packet when the payload is an exact multiple
 * of 16 MiB - 1), as the protocol requires.
 *
 * <p>Several messages may be framed back to back in the same array, to be written at once (a pipeline): after
 * {@link #finish}, {@link #startNext()} begins another message after the framed ones, and {@link #framedLength()}
 * counts them all.
 *
 * <p>Reusable: {@link #start()} clears it. Not thread-safe.
 */
public final class PacketWriter {
    /** The largest payload one packet carries: 2^24 - 1 bytes. Longer payloads continue in the next packet. */
    public static final int MAX_PAYLOAD = 0xFFFFFF;

    private byte[] buf;
    private int len;
    /** Where the current message's first header goes: 0, or the end of the messages framed before it. */
    private int mark;

    public PacketWriter() {
        this(256);
    }

    public PacketWriter(int initialCapacity) {
        buf = new byte[Math.max(16, initialCapacity)];
        len = 4;
    }

    /** Starts a new message: empties the payload (and drops any messages framed before), keeping the array. */
    public PacketWriter start() {
        mark = 0;
        len = 4;
        return this;
    }

    /**
     * Starts another message after the ones {@linkplain #finish framed} since {@link #start()}, which stay: the
     * array then holds them all, back to back, for one write.
     */
    public PacketWriter startNext() {
        ensure(4);
        mark = len;
        len += 4;
        return this;
    }

    /** The current message's payload length so far. */
    public int payloadLength() {
        return len - mark - 4;
    }

    /** Lets a grown array go (keeping a small one) once large messages are written; empties this writer. */
    public void shrink(int keep) {
        if (buf.length > keep) {
            buf = new byte[256];
        }
        start();
    }

    private void ensure(int more) {
        if (len + more > buf.length) {
            long want = Math.max((long) buf.length * 2, (long) len + more);
            if (want > Integer.MAX_VALUE - 16) {
                throw new IllegalArgumentException("message too large: " + want + " bytes");
            }
            buf = Arrays.copyOf(buf, (int) want);
        }
    }

    public PacketWriter int1(int v) {
        ensure(1);
        buf[len++] = (byte) v;
        return this;
    }

    public PacketWriter int2(int v) {
        ensure(2);
        buf[len++] = (byte) v;
        buf[len++] = (byte) (v >>> 8);
        return this;
    }

    public PacketWriter int3(int v) {
        ensure(3);
        buf[len++] = (byte) v;
        buf[len++] = (byte) (v >>> 8);
        buf[len++] = (byte) (v >>> 16);
        return this;
    }

    public PacketWriter int4(int v) {
        ensure(4);
        for (int i = 0; i < 4; i++) {
            buf[len++] = (byte) (v >>> (8 * i));
        }
        return this;
    }

    public PacketWriter int8(long v) {
        ensure(8);
        for (int i = 0; i < 8; i++) {
            buf[len++] = (byte) (v >>> (8 * i));
        }
        return this;
    }

    /** A length-encoded integer; {@code v} is taken as unsigned. */
    public PacketWriter lenencInt(long v) {
        if (v >= 0 && v < 0xFB) {
            return int1((int) v);
        }
        if (v >= 0 && v < (1 << 16)) {
            return int1(0xFC).int2((int) v);
        }
        if (v >= 0 && v < (1 << 24)) {
            return int1(0xFD).int3((int) v);
        }
        return int1(0xFE).int8(v);
    }

    public PacketWriter bytes(byte[] b) {
        return bytes(b, 0, b.length);
    }

    public PacketWriter bytes(byte[] b, int off, int n) {
        ensure(n);
        System.arraycopy(b, off, buf, len, n);
        len += n;
        return this;
    }

    public PacketWriter zeros(int n) {
        ensure(n);
        Arrays.fill(buf, len, len + n, (byte) 0);
        len += n;
        return this;
    }

    public PacketWriter lenencBytes(byte[] b) {
        lenencInt(b.length);
        return bytes(b);
    }

    public PacketWriter lenencString(String s) {
        return lenencBytes(s.getBytes(StandardCharsets.UTF_8));
    }

    /** The string's UTF-8 bytes and a 0 byte. */
    public PacketWriter nulString(String s) {
        bytes(s.getBytes(StandardCharsets.UTF_8));
        return int1(0);
    }

    /** The string's UTF-8 bytes, nothing after (for a field that runs to the payload's end). */
    public PacketWriter string(String s) {
        return bytes(s.getBytes(StandardCharsets.UTF_8));
    }

    /** Overwrites one byte of the payload already written (e.g. a NULL bitmap filled in after the values). */
    public void setPayloadByte(int payloadIndex, int v) {
        buf[mark + 4 + payloadIndex] = (byte) v;
    }

    public int payloadByte(int payloadIndex) {
        return buf[mark + 4 + payloadIndex] & 0xFF;
    }

    /**
     * Frames the current message as packets starting at sequence id {@code firstSeq}: the wire bytes are
     * {@link #framed()}{@code [0, }{@link #framedLength()}{@code )} (with the messages framed before it, if
     * {@link #startNext()} began it), valid until the next use of this writer. Returns the sequence id the reply's
     * first packet must carry.
     */
    public int finish(int firstSeq) {
        int payload = len - mark - 4;
        framed = buf;
        if (payload < MAX_PAYLOAD) { // the usual case: one packet, header written in place
            writeHeader(buf, mark, payload, firstSeq);
            framedLen = len;
            return (firstSeq + 1) & 0xFF;
        }
        int packets = payload / MAX_PAYLOAD + 1; // an exact multiple ends with an empty packet
        ensure(4 * (packets - 1));
        framed = buf;
        // piece i moves 4 * i bytes up to make room for the headers before it: the last one first, so none is
        // overwritten before it moved (each header lands on bytes of its own piece, already moved)
        for (int i = packets - 1; i >= 0; i--) {
            int src = mark + 4 + i * MAX_PAYLOAD;
            int n = Math.min(MAX_PAYLOAD, payload - i * MAX_PAYLOAD);
            int dst = src + 4 * i;
            System.arraycopy(buf, src, buf, dst, n);
            writeHeader(buf, dst - 4, n, (firstSeq + i) & 0xFF);
        }
        len += 4 * (packets - 1);
        framedLen = len;
        return (firstSeq + packets) & 0xFF;
    }

    private byte[] framed;
    private int framedLen;

    /** The bytes {@link #finish} framed. */
    public byte[] framed() {
        return framed;
    }

    public int framedLength() {
        return framedLen;
    }

    /** A copy of the payload (for tests and for logging). */
    public byte[] payload() {
        return Arrays.copyOfRange(buf, mark + 4, len);
    }

    private static void writeHeader(byte[] out, int at, int n, int seq) {
        out[at] = (byte) n;
        out[at + 1] = (byte) (n >>> 8);
        out[at + 2] = (byte) (n >>> 16);
        out[at + 3] = (byte) seq;
    }
}
