package dev.spindle.http.client.internal;

import dev.spindle.http.client.ProtocolError;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Undoes a response's {@code Content-Encoding} (gzip, RFC 1952, members one after another; or deflate, which RFC 9110
 * says is zlib but some servers send raw, so the first bytes decide) incrementally: compressed slices in, at most
 * {@link #MAX_OUT} decoded bytes per call out, so a small compressed body cannot make the client hold a huge one
 * (the caller's size cap counts decoded bytes). No I/O.
 *
 * {@snippet :
 * ContentDecoder d = ContentDecoder.forEncoding("gzip"); // null: nothing to undo
 * d.feed(compressed);
 * for (byte[] out; (out = d.poll()) != null; ) { use(out); }
 * d.finish(); // throws if the stream stopped in the middle
 * }
 */
public final class ContentDecoder {
    static final int MAX_OUT = 64 * 1024;
    private static final byte[] NOTHING = new byte[0];

    private enum Kind {
        GZIP,
        DEFLATE
    }

    private enum State {
        HEADER,
        BODY,
        TRAILER,
        DONE
    }

    private final Kind kind;
    private Inflater inflater;
    private final CRC32 crc = new CRC32();
    private State state;

    /** Compressed bytes not yet given to the inflater: the gzip header and trailer are parsed from here. */
    private byte[] pending = NOTHING;

    private int pendingOff;
    /** Where the inflater writes; each poll copies out what it made, so one small input costs no 64 KiB array. */
    private byte[] window;

    private long memberBytes;
    private boolean anyInput;

    private ContentDecoder(Kind kind) {
        this.kind = kind;
        this.state = State.HEADER;
    }

    /**
     * A decoder for a Content-Encoding value, or null if it needs none ({@code identity}, absent) or names a coding
     * this client does not decode (then the body is passed on as it came, like httpx does).
     */
    public static ContentDecoder forEncoding(String contentEncoding) {
        if (contentEncoding == null) {
            return null;
        }
        return switch (contentEncoding.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "gzip", "x-gzip" -> new ContentDecoder(Kind.GZIP);
            case "deflate" -> new ContentDecoder(Kind.DEFLATE);
            default -> null;
        };
    }

    /** Adds compressed bytes; the array is kept until consumed, not copied. */
    public void feed(byte[] compressed) {
        if (compressed.length == 0) {
            return;
        }
        anyInput = true;
        int held = state == State.BODY && inflater != null ? inflater.getRemaining() : 0;
        if (held > 0) { // the inflater's unread input is the tail of pending: take it back, to join it
            pendingOff = pending.length - held;
            inflater.setInput(NOTHING);
        }
        if (pendingOff < pending.length) {
            byte[] joined = Arrays.copyOf(
                    Arrays.copyOfRange(pending, pendingOff, pending.length),
                    pending.length - pendingOff + compressed.length);
            System.arraycopy(compressed, 0, joined, pending.length - pendingOff, compressed.length);
            pending = joined;
        } else {
            pending = compressed;
        }
        pendingOff = 0;
    }

    /** The next decoded bytes, or null when more input is needed. */
    public byte[] poll() {
        try {
            while (true) {
                switch (state) {
                    case HEADER -> {
                        if (!header()) {
                            return null;
                        }
                    }
                    case BODY -> {
                        byte[] out = inflate();
                        if (out != null) {
                            return out;
                        }
                        if (state == State.BODY) {
                            return null;
                        }
                    }
                    case TRAILER -> {
                        if (!trailer()) {
                            return null;
                        }
                    }
                    case DONE -> {
                        if (pendingOff < pending.length && kind == Kind.GZIP) {
                            state = State.HEADER; // another gzip member
                            continue;
                        }
                        pendingOff = pending.length; // trailing bytes after deflate: ignored
                        return null;
                    }
                }
            }
        } catch (DataFormatException e) {
            close();
            throw new ProtocolError(
                    "the response's " + kind.name().toLowerCase() + " body is corrupt: " + e.getMessage(), e);
        }
    }

    /**
     * The body ended: checks that the compressed stream ended too.
     *
     * @throws ProtocolError if it stopped in the middle
     */
    public void finish() {
        byte[] out = poll();
        close();
        if (out != null) {
            throw new IllegalStateException("finish() with decoded bytes not taken");
        }
        if (anyInput && state != State.DONE) {
            throw new ProtocolError("the response's " + kind.name().toLowerCase()
                    + " body ended in the middle of the compressed stream");
        }
    }

    /** Frees the inflater's native memory. */
    public void close() {
        if (inflater != null) {
            inflater.end();
            inflater = null;
        }
    }

    private int available() {
        return pending.length - pendingOff;
    }

    private boolean header() throws DataFormatException {
        if (kind == Kind.DEFLATE) {
            if (available() < 2) {
                return false;
            }
            int b0 = pending[pendingOff] & 0xff;
            int b1 = pending[pendingOff + 1] & 0xff;
            boolean zlib = (b0 & 0x0f) == 8 && ((b0 << 8) | b1) % 31 == 0;
            inflater = new Inflater(!zlib);
            state = State.BODY;
            return true;
        }
        // gzip: ID1 ID2 CM FLG MTIME(4) XFL OS [FEXTRA] [FNAME] [FCOMMENT] [FHCRC]
        int p = pendingOff;
        if ((available() >= 1 && (pending[p] & 0xff) != 0x1f)
                || (available() >= 2 && (pending[p + 1] & 0xff) != 0x8b)) {
            throw new DataFormatException("not in gzip format (bad magic bytes)");
        }
        if (available() < 10) {
            return false;
        }
        if (pending[p + 2] != 8) {
            throw new DataFormatException("unsupported gzip compression method " + pending[p + 2]);
        }
        int flags = pending[p + 3] & 0xff;
        int i = p + 10;
        if ((flags & 4) != 0) {
            if (pending.length < i + 2) {
                return false;
            }
            int xlen = (pending[i] & 0xff) | (pending[i + 1] & 0xff) << 8;
            i += 2 + xlen;
        }
        for (int bit : new int[] {8, 16}) {
            if ((flags & bit) != 0) {
                while (i < pending.length && pending[i] != 0) {
                    i++;
                }
                i++; // the NUL
            }
        }
        if ((flags & 2) != 0) {
            i += 2;
        }
        if (i > pending.length) {
            return false;
        }
        pendingOff = i;
        if (inflater == null) {
            inflater = new Inflater(true);
        } else {
            inflater.reset();
        }
        crc.reset();
        memberBytes = 0;
        state = State.BODY;
        return true;
    }

    private byte[] inflate() throws DataFormatException {
        if (inflater.needsInput() && available() > 0) {
            inflater.setInput(pending, pendingOff, available());
            pendingOff = pending.length;
        }
        if (window == null) {
            window = new byte[MAX_OUT];
        }
        byte[] out = window;
        int n = inflater.inflate(out);
        if (inflater.finished()) {
            // give back what the inflater did not use: the trailer, or the next member
            int left = inflater.getRemaining();
            pendingOff = pending.length - left;
            state = kind == Kind.GZIP ? State.TRAILER : State.DONE;
        } else if (n == 0 && inflater.needsDictionary()) {
            throw new DataFormatException("a preset dictionary is needed");
        }
        if (n == 0) {
            return null;
        }
        if (kind == Kind.GZIP) {
            crc.update(out, 0, n);
            memberBytes += n;
        }
        return Arrays.copyOf(out, n);
    }

    private boolean trailer() throws DataFormatException {
        if (available() < 8) {
            return false;
        }
        int p = pendingOff;
        long expectedCrc = le32(p);
        long size = le32(p + 4);
        pendingOff += 8;
        if (expectedCrc != crc.getValue()) {
            throw new DataFormatException("CRC mismatch");
        }
        if (size != (memberBytes & 0xffffffffL)) {
            throw new DataFormatException("size mismatch");
        }
        state = State.DONE;
        return true;
    }

    private long le32(int p) {
        return (pending[p] & 0xffL)
                | (pending[p + 1] & 0xffL) << 8
                | (pending[p + 2] & 0xffL) << 16
                | (pending[p + 3] & 0xffL) << 24;
    }
}
