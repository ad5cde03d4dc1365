package dev.spindle.http.internal;

import dev.spindle.http.HttpLimits;

/**
 * Decodes a chunked request body (RFC 9112 §7.1): bytes in, data slices out, no I/O.
 *
 * <pre>
 *   SIZE_LINE ──size&gt;0──▶ DATA ──all of it──▶ DATA_CRLF ──CRLF──▶ SIZE_LINE
 *       └──size 0──▶ TRAILERS ──empty line──▶ DONE
 * </pre>
 *
 * <p>Each call to {@link #decode} looks at {@code b[pos, end)} and returns {@link #NEED_MORE}, {@link #DATA} (a slice
 * at {@link #dataOffset()} of {@link #dataLength()} bytes) or {@link #DONE}; {@link #consumed()} says how many bytes
 * it took (data included). Lines are only judged whole, so a size line or trailer may arrive a byte at a time.
 *
 * <p>Strict on purpose (request smuggling, RFC 9112 §11.2): the size is 1 to 15 hex digits, nothing else (no sign, no
 * {@code 0x}, no whitespace before it); extensions are {@code ;name[=value]} with tokens or quoted strings; every line
 * ends in CRLF; chunk data is followed by exactly CRLF. Trailer fields are checked like header fields, counted against
 * the limits, and dropped.
 */
public final class ChunkedDecoder {
    public static final int NEED_MORE = 0;
    public static final int DATA = 1;
    public static final int DONE = 2;

    private enum State {
        SIZE_LINE,
        DATA,
        DATA_CRLF,
        TRAILERS,
        DONE
    }

    private final int maxChunkLine;
    private final int maxTrailerSize;
    private final int maxTrailerCount;

    private State state = State.SIZE_LINE;
    private long remaining;
    private int trailerBytes;
    private int trailerCount;

    private int consumed;
    private int dataOffset;
    private int dataLength;

    public ChunkedDecoder(HttpLimits limits) {
        this.maxChunkLine = limits.maxChunkLine();
        this.maxTrailerSize = limits.maxTrailerSize();
        this.maxTrailerCount = limits.maxHeaderCount();
    }

    public int consumed() {
        return consumed;
    }

    public int dataOffset() {
        return dataOffset;
    }

    public int dataLength() {
        return dataLength;
    }

    public boolean isDone() {
        return state == State.DONE;
    }

    /**
     * Decodes from {@code b[pos, end)}.
     *
     * @throws BadRequest 400 for malformed framing, 431 for too many trailer fields
     */
    public int decode(byte[] b, int pos, int end) {
        return decode(b, pos, end, Integer.MAX_VALUE);
    }

    /** {@link #decode(byte[], int, int)} returning at most {@code maxData} bytes of data (positive). */
    public int decode(byte[] b, int pos, int end, int maxData) {
        int p = pos;
        consumed = 0;
        dataLength = 0;
        while (true) {
            switch (state) {
                case SIZE_LINE -> {
                    int lf = findLf(b, p, end, maxChunkLine, "chunk-size line");
                    if (lf < 0) {
                        consumed = p - pos;
                        return NEED_MORE;
                    }
                    remaining = parseSizeLine(b, p, lf);
                    p = lf + 1;
                    state = remaining == 0 ? State.TRAILERS : State.DATA;
                }
                case DATA -> {
                    int n = (int) Math.min(remaining, Math.min(end - p, maxData));
                    if (n == 0) {
                        consumed = p - pos;
                        return NEED_MORE;
                    }
                    remaining -= n;
                    if (remaining == 0) {
                        state = State.DATA_CRLF;
                    }
                    dataOffset = p;
                    dataLength = n;
                    consumed = p + n - pos;
                    return DATA;
                }
                case DATA_CRLF -> {
                    if (end - p < 2) {
                        if (end - p == 1 && b[p] != '\r') {
                            throw new BadRequest(400, "chunk data not followed by CRLF");
                        }
                        consumed = p - pos;
                        return NEED_MORE;
                    }
                    if (b[p] != '\r' || b[p + 1] != '\n') {
                        throw new BadRequest(400, "chunk data not followed by CRLF (chunk longer than its size?)");
                    }
                    p += 2;
                    state = State.SIZE_LINE;
                }
                case TRAILERS -> {
                    int lf = findLf(b, p, end, maxTrailerSize - trailerBytes + 1, "trailer section");
                    if (lf < 0) {
                        consumed = p - pos;
                        return NEED_MORE;
                    }
                    int len = lf + 1 - p;
                    trailerBytes += len;
                    if (trailerBytes > maxTrailerSize) {
                        throw new BadRequest(400, "trailer section larger than " + maxTrailerSize + " bytes");
                    }
                    if (len == 2) {
                        state = State.DONE;
                        consumed = lf + 1 - pos;
                        return DONE;
                    }
                    if (++trailerCount > maxTrailerCount) {
                        throw new BadRequest(431, "more than " + maxTrailerCount + " trailer fields");
                    }
                    checkTrailer(b, p, lf - 1);
                    p = lf + 1;
                }
                case DONE -> {
                    consumed = p - pos;
                    return DONE;
                }
            }
        }
    }

    /**
     * The index of the LF ending the line at {@code p}, checking it is preceded by CR and that no bare CR comes
     * before; -1 if not there yet.
     */
    private static int findLf(byte[] b, int p, int end, int max, String what) {
        int limit = Math.min(end, p + max);
        for (int i = p; i < limit; i++) {
            byte c = b[i];
            if (c == '\n') {
                if (i == p || b[i - 1] != '\r') {
                    throw new BadRequest(400, "bare LF in the " + what);
                }
                return i;
            }
            if (c == '\r' && i + 1 < end && b[i + 1] != '\n') {
                throw new BadRequest(400, "bare CR in the " + what);
            }
        }
        if (end - p >= max) {
            throw new BadRequest(400, what + " longer than " + max + " bytes");
        }
        return -1;
    }

    /** chunk-size [ chunk-ext ] CRLF, the line being {@code b[p, lf]} with {@code b[lf - 1] == CR}. */
    private static long parseSizeLine(byte[] b, int p, int lf) {
        int end = lf - 1; // the CR
        long size = 0;
        int i = p;
        while (i < end && hex(b[i]) >= 0) {
            if (i - p == 15) {
                throw new BadRequest(400, "chunk size too large (more than 15 hex digits)");
            }
            size = (size << 4) | hex(b[i]);
            i++;
        }
        if (i == p) {
            throw new BadRequest(400, "chunk size missing or not hexadecimal");
        }
        if (i < end) {
            // chunk-ext = *( BWS ";" BWS ext-name [ BWS "=" BWS ext-val ] )
            while (i < end) {
                i = skipWs(b, i, end);
                if (i == end) {
                    throw new BadRequest(400, "whitespace after the chunk size without an extension");
                }
                if (b[i] != ';') {
                    throw new BadRequest(400, "junk after the chunk size");
                }
                i = skipWs(b, i + 1, end);
                int ns = i;
                while (i < end && Tokens.isTchar(b[i])) {
                    i++;
                }
                if (i == ns) {
                    throw new BadRequest(400, "chunk extension without a name");
                }
                int afterName = skipWs(b, i, end);
                if (afterName < end && b[afterName] == '=') {
                    i = skipWs(b, afterName + 1, end);
                    if (i < end && b[i] == '"') {
                        i = quotedString(b, i, end);
                    } else {
                        int vs = i;
                        while (i < end && Tokens.isTchar(b[i])) {
                            i++;
                        }
                        if (i == vs) {
                            throw new BadRequest(400, "chunk extension with an empty value");
                        }
                    }
                } else {
                    i = afterName;
                }
            }
        }
        return size;
    }

    private static int quotedString(byte[] b, int i, int end) {
        i++; // the opening quote
        while (i < end) {
            int c = b[i] & 0xff;
            if (c == '"') {
                return i + 1;
            }
            if (c == '\\') {
                i++;
                if (i >= end) {
                    break;
                }
                c = b[i] & 0xff;
                if (c < 0x20 && c != '\t' || c == 0x7f) {
                    throw new BadRequest(400, "control character in a chunk extension");
                }
            } else if (c < 0x20 && c != '\t' || c == 0x7f) {
                throw new BadRequest(400, "control character in a chunk extension");
            }
            i++;
        }
        throw new BadRequest(400, "unterminated quoted string in a chunk extension");
    }

    private static int skipWs(byte[] b, int i, int end) {
        while (i < end && (b[i] == ' ' || b[i] == '\t')) {
            i++;
        }
        return i;
    }

    /** A trailer field line {@code b[p, cr)}: checked as a header field would be, then dropped. */
    private static void checkTrailer(byte[] b, int p, int cr) {
        if (b[p] == ' ' || b[p] == '\t') {
            throw new BadRequest(400, "obs-fold in the trailer section");
        }
        int i = p;
        while (i < cr && Tokens.isTchar(b[i])) {
            i++;
        }
        if (i == p || i == cr || b[i] != ':') {
            throw new BadRequest(400, "malformed trailer field");
        }
        for (i++; i < cr; i++) {
            int c = b[i] & 0xff;
            if ((c < 0x20 && c != '\t') || c == 0x7f) {
                throw new BadRequest(400, "control character in a trailer field");
            }
        }
    }

    private static int hex(byte c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }
}
