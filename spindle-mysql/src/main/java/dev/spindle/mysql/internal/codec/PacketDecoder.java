package dev.spindle.mysql.internal.codec;

import dev.spindle.mysql.ProtocolError;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Splits the bytes a server sends into packets, without I/O (bytes in, payloads out, as h11 does): the caller
 * {@linkplain #feed feeds} whatever arrived, or reads straight into {@link #freeSpace}, then takes payloads with
 * {@link #next} until it says more bytes are needed. Payloads of 16 MiB - 1 bytes continue in the next packet; the
 * decoder joins them, so callers only see whole logical payloads.
 *
 * <h2>Checks</h2>
 * <ul>
 *   <li>Every packet's sequence id must be the one {@linkplain #expectSequence expected}: a reply out of order (or a
 *       stray packet from a reply nobody waits for) is a {@link ProtocolError}, not a value.
 *   <li>A logical payload longer than {@link #maxPayload()} is a {@link ProtocolError} as soon as its headers say so,
 *       before the bytes are buffered.
 * </ul>
 *
 * <p>A payload returned by {@link #next} is a view of this decoder's buffer, valid until the next call of
 * {@code next}, {@code feed} or {@code freeSpace}. Not thread-safe.
 */
public final class PacketDecoder {
    private byte[] buf;
    private int head;
    private int tail;
    private int expectedSeq;
    private int lastSeq = -1;
    private final long maxPayload;
    private byte[] joined = new byte[0];
    /** A view of {@link #buf}, reused by {@link #freeSpace} while the array stays the same. */
    private ByteBuffer room;

    /** @param maxPayload the longest logical payload accepted (a server's max_allowed_packet at most 1 GiB) */
    public PacketDecoder(long maxPayload) {
        this.maxPayload = maxPayload;
        this.buf = new byte[16 * 1024];
    }

    public long maxPayload() {
        return maxPayload;
    }

    /** The sequence id the next packet must carry (a command's reply starts at the command's last id + 1). */
    public void expectSequence(int seq) {
        expectedSeq = seq & 0xFF;
    }

    /** The id the next packet must carry; after a reply, the one the client's next packet of the same exchange uses. */
    public int nextSequence() {
        return expectedSeq;
    }

    /** The sequence id of the last packet {@link #next} returned. */
    public int lastSequence() {
        return lastSeq;
    }

    /** How many bytes are buffered and not yet returned as packets. */
    public int buffered() {
        return tail - head;
    }

    /** Adds bytes that arrived. */
    public void feed(byte[] data, int off, int len) {
        ByteBuffer room = freeSpace(len);
        room.put(data, off, len);
        commit(len);
    }

    /**
     * A buffer with room for at least {@code min} bytes after what is buffered (compacting or growing the buffer);
     * read into it, then {@link #commit} what was read. The buffer is this decoder's, reused by the next call.
     */
    public ByteBuffer freeSpace(int min) {
        if (buf.length - tail < min) {
            if (head > 0) {
                System.arraycopy(buf, head, buf, 0, tail - head);
                tail -= head;
                head = 0;
            }
            if (buf.length - tail < min) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, tail + min));
            }
        }
        if (room == null || room.array() != buf) {
            room = ByteBuffer.wrap(buf);
        }
        return room.limit(buf.length).position(tail);
    }

    /**
     * The room a read should ask for: what the packet being assembled still lacks (so a large packet is read in few
     * system calls), at least 8 KiB.
     */
    public int wanted() {
        int have = tail - head;
        if (have >= 4) {
            long need = 4 + (long) header(head);
            if (need > have) {
                return (int) Math.min(Math.max(8192, need - have), 16 * 1024 * 1024);
            }
        }
        return 8192;
    }

    public void commit(int n) {
        tail += n;
    }

    /**
     * The next whole payload, into {@code out}; false when more bytes are needed (nothing consumed then).
     *
     * @throws ProtocolError for a sequence id out of order or a payload over the limit
     */
    public boolean next(Payload out) {
        if (tail - head < 4) {
            return false;
        }
        int len = header(head);
        checkSeq(head, 0);
        if (len < PacketWriter.MAX_PAYLOAD) {
            if (tail - head - 4 < len) {
                checkLimit(len);
                return false;
            }
            out.reset(buf, head + 4, len);
            head += 4 + len;
            accept();
            return true;
        }
        return nextJoined(out);
    }

    private boolean nextJoined(Payload out) {
        long total = 0;
        int at = head;
        int pieces = 0;
        while (true) {
            if (tail - at < 4) {
                return false;
            }
            int len = header(at);
            checkSeq(at, pieces);
            total += len;
            checkLimit(total);
            if (tail - at - 4 < len) {
                return false;
            }
            at += 4 + len;
            pieces++;
            if (len < PacketWriter.MAX_PAYLOAD) {
                break;
            }
        }
        if (joined.length < total) {
            joined = new byte[(int) total];
        }
        int dst = 0;
        int p = head;
        for (int i = 0; i < pieces; i++) {
            int len = header(p);
            System.arraycopy(buf, p + 4, joined, dst, len);
            dst += len;
            p += 4 + len;
            accept();
        }
        head = at;
        out.reset(joined, 0, dst);
        return true;
    }

    private void accept() {
        lastSeq = expectedSeq;
        expectedSeq = (expectedSeq + 1) & 0xFF;
    }

    private void checkSeq(int at, int offset) {
        int seq = buf[at + 3] & 0xFF;
        int want = (expectedSeq + offset) & 0xFF;
        if (seq != want) {
            throw new ProtocolError("packet out of order: sequence id " + seq + " where " + want + " was expected");
        }
    }

    private void checkLimit(long len) {
        if (len > maxPayload) {
            throw new ProtocolError("packet of " + len + " bytes is over the limit of " + maxPayload
                    + " bytes (raise maxPacketSize if the server sends such rows)");
        }
    }

    private int header(int at) {
        return (buf[at] & 0xFF) | (buf[at + 1] & 0xFF) << 8 | (buf[at + 2] & 0xFF) << 16;
    }

    /** Drops the buffered bytes (after a connection is abandoned). */
    public void clear() {
        head = tail = 0;
    }
}
