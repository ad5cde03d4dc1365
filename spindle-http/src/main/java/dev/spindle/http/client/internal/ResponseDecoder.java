package dev.spindle.http.client.internal;

import dev.spindle.http.Headers;
import dev.spindle.http.HttpVersion;
import dev.spindle.http.client.ProtocolError;
import dev.spindle.http.internal.HeadersAccess;
import dev.spindle.http.internal.Tokens;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Decodes HTTP/1.1 responses (RFC 9112): bytes in, events out, no I/O (h11's shape). One decoder serves one
 * connection, response after response.
 *
 * <pre>
 *   start(method) ──▶ HEAD ──1xx──▶ HEAD (an interim Head event each time)
 *                       └─final──▶ BODY (Length | Chunked | Close | none) ──▶ DONE ──start──▶ HEAD
 * </pre>
 *
 * <p>The caller feeds bytes ({@link #receive}, or {@link #writable}+{@link #commit} to read straight into the
 * buffer), tells the end of the stream ({@link #receiveEof}), and calls {@link #next()} until it returns
 * {@link #NEED_DATA}. Events: {@link Head} (interim 1xx ones first, then the final one), {@link Data} slices of the
 * body, and {@link End} with the trailer fields. Anything that breaks the protocol throws {@link ProtocolError}
 * naming what was wrong, after which the decoder (and its connection) is unusable.
 *
 * <h2>Framing (RFC 9112 §6.3, in order)</h2>
 * <ol>
 *   <li>No body: a response to HEAD, any 1xx, 204 and 304, whatever their headers say. 101 ends the HTTP part.
 *   <li>Transfer-Encoding: exactly {@code chunked} (no TE was sent, so RFC 9112 §6.1 forbids other codings and they
 *       are refused); it overrides a Content-Length, and such a response ends the connection's reuse.
 *   <li>Content-Length: digits only; repeated or listed values must all agree (else an error, as §6.3 item 5 says).
 *   <li>Otherwise the body runs until the server closes the connection, which is not reused.
 * </ol>
 *
 * <p>A 204 that announces a body (Content-Length other than 0, or Transfer-Encoding) is decoded without one, and its
 * connection is not reused: the bytes it may send anyway must never be read as the next response.
 *
 * <h2>Leniency (what a user agent may accept)</h2>
 * A bare LF ends a line (§2.2); obs-fold in a response is replaced by a space (§5.2); a status line without the space
 * after the code is accepted. Refused: whitespace before a field's colon, control characters in a field value, a bare
 * CR, a version other than HTTP/1.x, a status outside 100..999, chunk sizes that are empty, signed or too long.
 *
 * <h2>Limits</h2>
 * Each line of the head (and of the trailers) is at most {@link Limits#maxLine}; the whole head at most
 * {@link Limits#maxHead}; fields at most {@link Limits#maxFields}; a chunk-size line at most
 * {@link Limits#maxChunkLine}; all trailers at most {@link Limits#maxTrailers}. The buffer therefore never holds much
 * more than the head limit, whatever the server sends: body bytes leave as they come.
 */
public final class ResponseDecoder {
    /** The sizes a response head and a chunked body may reach. */
    public record Limits(int maxHead, int maxLine, int maxFields, int maxChunkLine, int maxTrailers) {
        public static final Limits DEFAULTS = new Limits(64 * 1024, 16 * 1024, 100, 1024, 16 * 1024);

        public Limits {
            if (maxHead <= 0 || maxLine <= 0 || maxFields <= 0 || maxChunkLine <= 0 || maxTrailers <= 0) {
                throw new IllegalArgumentException("response limits must be positive");
            }
        }
    }

    /** What {@link #next()} returns. */
    public sealed interface Event permits Head, Data, End, NeedData {}

    /** A response head: interim (1xx other than 101) or final. */
    public record Head(HttpVersion version, int status, String reason, Headers headers) implements Event {
        public boolean interim() {
            return status < 200 && status != 101;
        }
    }

    /** A slice of the body, copied out of the decoder's buffer (the caller may keep it). */
    public record Data(byte[] bytes) implements Event {}

    /** The end of the response; {@code trailers} is empty unless a chunked body carried some. */
    public record End(Headers trailers) implements Event {}

    /** More bytes (or the end of the stream) are needed. */
    public enum NeedData implements Event {
        INSTANCE
    }

    public static final NeedData NEED_DATA = NeedData.INSTANCE;

    private static final Headers NO_TRAILERS = HeadersAccess.wrap(new String[0], new String[0], 0);
    private static final int MAX_DATA_EVENT = 64 * 1024;

    private enum State {
        IDLE,
        HEAD,
        LENGTH,
        CHUNK_SIZE,
        CHUNK_DATA,
        CHUNK_DATA_END,
        TRAILERS,
        CLOSE_DELIMITED,
        BODILESS,
        DONE,
        ERROR
    }

    /** How the body of the current response is framed, for {@link #framing()}. */
    public enum Framing {
        NONE,
        LENGTH,
        CHUNKED,
        CLOSE
    }

    private final Limits limits;

    // bytes not yet decoded: buf[start, end)
    private byte[] buf = new byte[8192];
    private int start;
    private int end;
    private boolean eof;

    private State state = State.IDLE;
    private String method;
    private Framing framing;
    private long remaining; // LENGTH and CHUNK_DATA: bytes of body (or chunk) left
    private boolean keepAlive;
    private long received; // bytes taken for the current response (0: nothing came yet)
    private long bodyBytes;

    // head scanning: lines found so far, as [lineStart, lineEnd) pairs (line ends exclude CR LF)
    private int[] lines = new int[32];
    private int lineCount;
    private int scan; // where the search for the next LF resumes
    private int lineStart; // where the line being scanned starts
    private int trailerBytes;

    public ResponseDecoder(Limits limits) {
        this.limits = limits;
    }

    // ---- input ----------------------------------------------------------------------------------------------

    /** Appends bytes received from the server. */
    public void receive(byte[] b, int off, int len) {
        ByteBuffer room = writable(len);
        room.put(b, off, len);
        commit(len);
    }

    /**
     * Room for at least {@code min} bytes at the end of the buffer, as a ByteBuffer to read into; then
     * {@link #commit} the count read.
     */
    public ByteBuffer writable(int min) {
        if (buf.length - end < min) {
            compact();
            if (buf.length - end < min) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, end + min));
            }
        }
        return ByteBuffer.wrap(buf, end, buf.length - end);
    }

    /** Records that {@code n} bytes were written into the last {@link #writable} buffer. */
    public void commit(int n) {
        if (n < 0 || end + n > buf.length) {
            throw new IllegalArgumentException("commit of " + n + " bytes does not fit");
        }
        end += n;
    }

    /** The server closed its end: what is buffered is all there will be. */
    public void receiveEof() {
        eof = true;
    }

    public boolean eofReceived() {
        return eof;
    }

    /** Bytes received but not decoded (after {@link End}: bytes beyond the response, which forbid reuse). */
    public int buffered() {
        return end - start;
    }

    /** Whether any byte of the current response has been decoded or is buffered. */
    public boolean anythingReceived() {
        return received > 0 || end > start;
    }

    /** How the current response's body is framed; null until its final head is decoded. */
    public Framing framing() {
        return framing;
    }

    /** After {@link End}: whether the connection may carry another request. */
    public boolean keepAlive() {
        return state == State.DONE && keepAlive && !eof && end == start;
    }

    /** Whether the current response has been decoded to its end. */
    public boolean isDone() {
        return state == State.DONE;
    }

    /** Bytes of body decoded so far (before content decoding). */
    public long bodyBytes() {
        return bodyBytes;
    }

    /**
     * Expects the response to a request with {@code requestMethod} (which decides whether a body may follow). Allowed
     * on a new decoder or after {@link End}.
     */
    public void start(String requestMethod) {
        if (state != State.IDLE && state != State.DONE) {
            throw new IllegalStateException("a response is still being decoded (" + state + ")");
        }
        method = requestMethod;
        state = State.HEAD;
        framing = null;
        keepAlive = false;
        received = 0;
        bodyBytes = 0;
        resetHeadScan();
    }

    // ---- output ---------------------------------------------------------------------------------------------

    /**
     * The next event, or {@link #NEED_DATA}.
     *
     * @throws ProtocolError if the response breaks HTTP/1.1 or a limit
     */
    public Event next() {
        try {
            return switch (state) {
                case IDLE -> throw new IllegalStateException("start(method) comes first");
                case HEAD -> head();
                case LENGTH -> lengthBody();
                case CHUNK_SIZE, CHUNK_DATA, CHUNK_DATA_END, TRAILERS -> chunked();
                case CLOSE_DELIMITED -> closeDelimited();
                case BODILESS -> end(NO_TRAILERS);
                case DONE -> NEED_DATA;
                case ERROR -> throw new IllegalStateException("the decoder failed before; the connection is unusable");
            };
        } catch (ProtocolError e) {
            state = State.ERROR;
            throw e;
        }
    }

    /** Moves the undecoded bytes to the front, with the head scan's offsets. */
    private void compact() {
        int s = start;
        if (s == 0) {
            return;
        }
        System.arraycopy(buf, s, buf, 0, end - s);
        end -= s;
        start = 0;
        scan -= s;
        lineStart -= s;
        for (int i = 0; i < lineCount * 2; i++) {
            lines[i] -= s;
        }
    }

    private Event end(Headers trailers) {
        state = State.DONE;
        return new End(trailers);
    }

    private ProtocolError error(String message) {
        state = State.ERROR;
        return new ProtocolError(message);
    }

    // ---- the head -------------------------------------------------------------------------------------------

    private void resetHeadScan() {
        lineCount = 0;
        scan = start;
        lineStart = start;
    }

    /**
     * Finds the lines of a head (or of trailers) up to the empty line that ends it, resuming where the last call
     * stopped (so a head fed a byte at a time is scanned once). Returns whether the empty line was found.
     */
    private boolean scanLines(int maxLine, int maxTotal, int maxLines, String what) {
        byte[] b = buf;
        for (int i = scan; i < end; i++) {
            byte c = b[i];
            if (c == '\n') {
                int lineEnd = i > lineStart && b[i - 1] == '\r' ? i - 1 : i;
                if (i - lineStart + 1 > maxLine) {
                    throw error(what + " has a line longer than " + maxLine + " bytes");
                }
                scan = i + 1;
                if (i + 1 - start > maxTotal) {
                    throw error(what + " is larger than " + maxTotal + " bytes");
                }
                if (lineEnd == lineStart) {
                    if (lineCount == 0 && state == State.HEAD) {
                        throw error("the response starts with an empty line, not a status line");
                    }
                    lineStart = i + 1;
                    return true;
                }
                if (lineCount == maxLines) {
                    throw error(what + " has more than " + (maxLines - (state == State.HEAD ? 1 : 0)) + " fields");
                }
                if (lines.length < (lineCount + 1) * 2) {
                    lines = Arrays.copyOf(lines, lines.length * 2);
                }
                lines[lineCount * 2] = lineStart;
                lines[lineCount * 2 + 1] = lineEnd;
                lineCount++;
                lineStart = i + 1;
            } else if (c == '\r') {
                if (i + 1 == end) {
                    scan = i; // judged when the next byte comes
                    return checkPartial(maxLine, maxTotal, what);
                }
                if (b[i + 1] != '\n') {
                    throw error(what + " has a bare CR (not followed by LF) at byte " + (i - start));
                }
            }
        }
        scan = end;
        return checkPartial(maxLine, maxTotal, what);
    }

    private boolean checkPartial(int maxLine, int maxTotal, String what) {
        if (end - lineStart > maxLine) {
            throw error(what + " has a line longer than " + maxLine + " bytes");
        }
        if (end - start > maxTotal) {
            throw error(what + " is larger than " + maxTotal + " bytes");
        }
        return false;
    }

    private Event head() {
        if (start == end && !eof) {
            return NEED_DATA;
        }
        if (!scanLines(limits.maxLine(), limits.maxHead(), limits.maxFields() + 1, "the response head")) {
            if (eof) {
                if (end == start && received == 0) {
                    throw error("the server closed the connection without sending a response");
                }
                throw error("the server closed the connection in the middle of the response head (" + (end - start)
                        + " bytes received)");
            }
            return NEED_DATA;
        }
        int headEnd = lineStart;
        Head h = parseHead();
        received += headEnd - start;
        start = headEnd;
        if (start == end) {
            start = end = 0;
        }
        resetHeadScan();
        if (h.interim()) {
            return h; // stay in HEAD for the final response
        }
        decideFraming(h);
        return h;
    }

    private Head parseHead() {
        int ls = lines[0];
        int le = lines[1];
        byte[] b = buf;
        // HTTP-version SP status-code SP reason-phrase
        if (le - ls < 12
                || b[ls] != 'H'
                || b[ls + 1] != 'T'
                || b[ls + 2] != 'T'
                || b[ls + 3] != 'P'
                || b[ls + 4] != '/'
                || b[ls + 6] != '.') {
            throw error("malformed status line " + quote(ls, le) + " (expected \"HTTP/1.1 <code> <reason>\")");
        }
        if (b[ls + 5] != '1' || !isDigit(b[ls + 7])) {
            throw error("unsupported HTTP version in status line " + quote(ls, le));
        }
        HttpVersion version = b[ls + 7] == '0' ? HttpVersion.HTTP_1_0 : HttpVersion.HTTP_1_1;
        if (b[ls + 8] != ' ' || !isDigit(b[ls + 9]) || !isDigit(b[ls + 10]) || !isDigit(b[ls + 11])) {
            throw error("malformed status code in status line " + quote(ls, le));
        }
        int status = (b[ls + 9] - '0') * 100 + (b[ls + 10] - '0') * 10 + (b[ls + 11] - '0');
        if (status < 100) {
            throw error("status code " + status + " is out of range in " + quote(ls, le));
        }
        String reason = "";
        if (le > ls + 12) {
            if (b[ls + 12] != ' ') {
                throw error("malformed status line " + quote(ls, le) + " (no space after the status code)");
            }
            for (int i = ls + 13; i < le; i++) {
                if (isCtl(b[i])) {
                    throw error("control character in the reason phrase of " + quote(ls, le));
                }
            }
            reason = new String(b, ls + 13, le - ls - 13, StandardCharsets.ISO_8859_1);
        }
        return new Head(version, status, reason, parseFields(1, "header"));
    }

    /** The field lines from line {@code from} on, as read-only Headers; obs-fold joined with a space. */
    private Headers parseFields(int from, String kind) {
        int n = lineCount - from;
        String[] names = new String[n];
        String[] values = new String[n];
        int count = 0;
        byte[] b = buf;
        for (int l = from; l < lineCount; l++) {
            int ls = lines[l * 2];
            int le = lines[l * 2 + 1];
            if (b[ls] == ' ' || b[ls] == '\t') {
                if (count == 0) {
                    throw error("the first " + kind + " line starts with whitespace: " + quote(ls, le));
                }
                // obs-fold (RFC 9112 §5.2): a user agent replaces it with SP
                values[count - 1] = values[count - 1] + " " + value(ls, le, names[count - 1]);
                continue;
            }
            int colon = -1;
            for (int i = ls; i < le; i++) {
                byte c = b[i];
                if (c == ':') {
                    colon = i;
                    break;
                }
                if (!Tokens.isTchar(c)) {
                    throw error(
                            c == ' ' || c == '\t'
                                    ? kind + " field " + quote(ls, le) + " has whitespace before its colon"
                                    : kind + " field name in " + quote(ls, le)
                                            + " has a character not allowed in a token");
                }
            }
            if (colon <= ls) {
                throw error(colon < 0 ? kind + " line " + quote(ls, le) + " has no colon" : "empty " + kind + " name");
            }
            String name = new String(b, ls, colon - ls, StandardCharsets.ISO_8859_1);
            names[count] = name;
            values[count] = value(colon + 1, le, name);
            count++;
        }
        return HeadersAccess.wrap(names, values, count);
    }

    private String value(int vs, int ve, String name) {
        byte[] b = buf;
        while (vs < ve && (b[vs] == ' ' || b[vs] == '\t')) {
            vs++;
        }
        while (ve > vs && (b[ve - 1] == ' ' || b[ve - 1] == '\t')) {
            ve--;
        }
        for (int i = vs; i < ve; i++) {
            if (isCtl(b[i])) {
                throw error("the value of field " + name + " has a control character (0x"
                        + Integer.toHexString(b[i] & 0xff) + ") at index " + (i - vs));
            }
        }
        return new String(b, vs, ve - vs, StandardCharsets.ISO_8859_1);
    }

    private void decideFraming(Head h) {
        Headers headers = h.headers();
        boolean close = headers.containsToken("Connection", "close");
        keepAlive = h.version() == HttpVersion.HTTP_1_1
                ? !close
                : headers.containsToken("Connection", "keep-alive") && !close;
        int status = h.status();
        if (status == 101) {
            keepAlive = false; // the connection now speaks another protocol
            framing = Framing.NONE;
            state = State.BODILESS;
            return;
        }
        if ("HEAD".equals(method) || status == 204 || status == 304) {
            if (status == 204
                    && (headers.contains("Transfer-Encoding")
                            || !"0"
                                    .equals(headers.getOrDefault("Content-Length", "0")
                                            .strip()))) {
                // RFC 9110 §8.6: a 204 has no Content-Length; one that announces a body may well send it, and those
                // bytes would be read as the next response: do not reuse the connection
                keepAlive = false;
            }
            framing = Framing.NONE;
            state = State.BODILESS;
            return;
        }
        if (headers.contains("Transfer-Encoding")) {
            String codings =
                    String.join(", ", headers.getAll("Transfer-Encoding")).trim();
            if (!codings.equalsIgnoreCase("chunked")) {
                throw error("unsupported Transfer-Encoding \"" + codings
                        + "\" (only chunked may be sent to a client that sent no TE)");
            }
            if (headers.contains("Content-Length")) {
                keepAlive = false; // RFC 9112 §6.3: a sign of smuggling; do not reuse the connection
            }
            framing = Framing.CHUNKED;
            state = State.CHUNK_SIZE;
            return;
        }
        if (headers.contains("Content-Length")) {
            remaining = contentLength(headers);
            framing = Framing.LENGTH;
            state = remaining == 0 ? State.BODILESS : State.LENGTH;
            return;
        }
        framing = Framing.CLOSE;
        keepAlive = false;
        state = State.CLOSE_DELIMITED;
    }

    private long contentLength(Headers headers) {
        long value = -1;
        for (String v : headers.getAll("Content-Length")) {
            for (String part : v.split(",", -1)) {
                String p = part.strip();
                if (p.isEmpty() || p.length() > 18 || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
                    throw error("invalid Content-Length \"" + v + "\"");
                }
                long n = Long.parseLong(p);
                if (value >= 0 && n != value) {
                    throw error("conflicting Content-Length values: " + headers.getAll("Content-Length"));
                }
                value = n;
            }
        }
        return value;
    }

    // ---- bodies ---------------------------------------------------------------------------------------------

    private Data take(int n) {
        byte[] out = Arrays.copyOfRange(buf, start, start + n);
        start += n;
        received += n;
        bodyBytes += n;
        if (start == end) {
            start = end = 0;
        }
        return new Data(out);
    }

    private Event lengthBody() {
        if (start == end) {
            if (eof) {
                throw error("the server closed the connection after " + bodyBytes + " of " + (bodyBytes + remaining)
                        + " body bytes (Content-Length " + (bodyBytes + remaining) + ")");
            }
            return NEED_DATA;
        }
        int n = (int) Math.min(Math.min(remaining, end - start), MAX_DATA_EVENT);
        remaining -= n;
        Data d = take(n);
        if (remaining == 0) {
            state = State.BODILESS; // the next call ends the response
        }
        return d;
    }

    private Event closeDelimited() {
        if (start == end) {
            return eof ? end(NO_TRAILERS) : NEED_DATA;
        }
        return take(Math.min(end - start, MAX_DATA_EVENT));
    }

    private Event chunked() {
        while (true) {
            switch (state) {
                case CHUNK_SIZE -> {
                    int lf = indexOf('\n', start, end);
                    if (lf < 0) {
                        if (end - start > limits.maxChunkLine()) {
                            throw error("chunk size line longer than " + limits.maxChunkLine() + " bytes");
                        }
                        return truncatedOrNeed("a chunk size line");
                    }
                    if (lf - start + 1 > limits.maxChunkLine()) {
                        throw error("chunk size line longer than " + limits.maxChunkLine() + " bytes");
                    }
                    remaining = chunkSize(start, lf);
                    received += lf + 1 - start;
                    start = lf + 1;
                    if (remaining == 0) {
                        state = State.TRAILERS;
                        trailerBytes = 0;
                        resetHeadScan();
                    } else {
                        state = State.CHUNK_DATA;
                    }
                }
                case CHUNK_DATA -> {
                    if (start == end) {
                        return truncatedOrNeed("chunk data");
                    }
                    int n = (int) Math.min(Math.min(remaining, end - start), MAX_DATA_EVENT);
                    remaining -= n;
                    if (remaining == 0) {
                        state = State.CHUNK_DATA_END;
                    }
                    return take(n);
                }
                case CHUNK_DATA_END -> {
                    if (end - start < 1 || (buf[start] == '\r' && end - start < 2)) {
                        return truncatedOrNeed("the CRLF after chunk data");
                    }
                    if (buf[start] == '\n') {
                        start += 1;
                        received += 1;
                    } else if (buf[start] == '\r' && buf[start + 1] == '\n') {
                        start += 2;
                        received += 2;
                    } else {
                        throw error("chunk data is longer than its size said (no CRLF after it)");
                    }
                    state = State.CHUNK_SIZE;
                }
                case TRAILERS -> {
                    if (!scanLines(limits.maxLine(), limits.maxTrailers(), limits.maxFields(), "the trailer section")) {
                        return truncatedOrNeed("the trailer section");
                    }
                    Headers trailers = lineCount == 0 ? NO_TRAILERS : parseFields(0, "trailer");
                    received += lineStart - start;
                    start = lineStart;
                    if (start == end) {
                        start = end = 0;
                    }
                    return end(trailers);
                }
                default -> throw new IllegalStateException(state.toString());
            }
        }
    }

    private Event truncatedOrNeed(String what) {
        if (eof) {
            throw error("the server closed the connection in the middle of a chunked body (waiting for " + what
                    + ", after " + bodyBytes + " body bytes)");
        }
        return NEED_DATA;
    }

    private long chunkSize(int from, int lf) {
        int lineEnd = lf > from && buf[lf - 1] == '\r' ? lf - 1 : lf;
        long size = 0;
        int i = from;
        int digits = 0;
        for (; i < lineEnd; i++) {
            int d = Character.digit(buf[i], 16);
            if (d < 0) {
                break;
            }
            if (++digits > 15) {
                throw error("chunk size " + quote(from, lineEnd) + " is too large");
            }
            size = size * 16 + d;
        }
        if (digits == 0) {
            throw error("invalid chunk size line " + quote(from, lineEnd) + " (expected hex digits)");
        }
        // optional whitespace, then extensions (';' ...), which are ignored
        for (int j = i; j < lineEnd; j++) {
            byte c = buf[j];
            if (c == ';') {
                break;
            }
            if (c != ' ' && c != '\t') {
                throw error("invalid chunk size line " + quote(from, lineEnd));
            }
        }
        for (int j = i; j < lineEnd; j++) {
            if (isCtl(buf[j])) {
                throw error("control character in chunk extension " + quote(from, lineEnd));
            }
        }
        return size;
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    private int indexOf(char c, int from, int to) {
        for (int i = from; i < to; i++) {
            if (buf[i] == c) {
                return i;
            }
        }
        return -1;
    }

    private static boolean isDigit(byte c) {
        return c >= '0' && c <= '9';
    }

    /** CTL other than HTAB (RFC 5234), which field values and reason phrases must not hold. */
    private static boolean isCtl(byte c) {
        return (c >= 0 && c < 0x20 && c != '\t') || c == 0x7f;
    }

    private String quote(int from, int to) {
        StringBuilder s = new StringBuilder("\"");
        for (int i = from; i < to && i < from + 80; i++) {
            int c = buf[i] & 0xff;
            s.append(c < 0x20 || c > 0x7e ? String.format("\\x%02x", c) : String.valueOf((char) c));
        }
        return s.append(to - from > 80 ? "...\"" : "\"").toString();
    }

    @Override
    public String toString() {
        return "ResponseDecoder[" + state + ", " + (end - start) + " bytes buffered]";
    }
}
