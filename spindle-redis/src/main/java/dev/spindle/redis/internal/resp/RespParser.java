package dev.spindle.redis.internal.resp;

import dev.spindle.redis.RedisProtocolError;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An incremental RESP2/RESP3 reply parser: bytes in, values out, no I/O. Feed it what arrived ({@link #feed}, or
 * {@link #writable()} then {@link #filled}), then call {@link #next()} until it returns {@link #NEED_MORE}. A reply
 * split anywhere (inside a length line, inside a bulk payload, between the elements of an array) resumes where it
 * stopped: nothing is parsed twice.
 *
 * <h2>Values</h2>
 * <table>
 *   <tr><th>RESP</th><th>Java</th></tr>
 *   <tr><td>{@code +} simple string</td><td>{@link String} ({@code "OK"}, {@code "PONG"}, {@code "QUEUED"} are
 *       shared constants)</td></tr>
 *   <tr><td>{@code -} error, {@code !} blob error</td><td>{@link ErrorReply} (a value, not thrown: an error inside a
 *       transaction's EXEC array is one element among others)</td></tr>
 *   <tr><td>{@code :} integer</td><td>{@link Long}</td></tr>
 *   <tr><td>{@code $} bulk string, {@code =} verbatim string (its {@code txt:} prefix dropped), streamed string
 *       ({@code $?} and {@code ;} chunks)</td><td>{@code byte[]}</td></tr>
 *   <tr><td>{@code $-1}, {@code *-1}, {@code _}</td><td>{@code null}</td></tr>
 *   <tr><td>{@code *} array, {@code ~} set</td><td>{@link List} (an {@link ArrayList}; a set is a {@link RespSet})</td></tr>
 *   <tr><td>{@code %} map</td><td>{@link RespMap}: keys and values alternating, in the order received</td></tr>
 *   <tr><td>{@code >} push</td><td>{@link RespPush}</td></tr>
 *   <tr><td>{@code ,} double, {@code #} boolean, {@code (} big number</td><td>{@link Double}, {@link Boolean},
 *       {@link BigInteger}</td></tr>
 *   <tr><td>{@code |} attribute</td><td>parsed and dropped; the value it annotates follows</td></tr>
 * </table>
 * Aggregates of unknown length ({@code *?}, {@code %?}, {@code ~?}, ended by {@code .}) are read too.
 *
 * <h2>Errors</h2>
 * Malformed input (an unknown type byte, a bad number, a missing CRLF, a length out of range, a nesting deeper than
 * {@link #MAX_DEPTH}, a line longer than {@link #MAX_LINE}) throws {@link RedisProtocolError} naming what was wrong and
 * the parser stays failed: the connection it reads must be closed, since nothing after a framing error can be trusted.
 * Truncated input is no error: {@link #next()} returns {@link #NEED_MORE}.
 *
 * <h2>Memory</h2>
 * One growable buffer (compacted before it grows). A bulk string that has wholly arrived is copied out of it in one
 * step (or decoded to text from it, see {@link #next(boolean)}); one still arriving, of up to
 * {@link #PREALLOCATE_LIMIT} bytes, is allocated once at its final size and filled as bytes arrive; a larger one grows
 * as its bytes arrive, so a hostile
 * length does not make the parser allocate what was never sent. Beyond the values themselves, a reply costs nothing
 * but the aggregate frames (reused).
 *
 * <p>Not thread-safe: one parser per connection, used by its reader.
 */
public final class RespParser {

    /** Returned by {@link #next()} when the buffered bytes do not hold a whole reply yet. */
    public static final Object NEED_MORE = new Object() {
        @Override
        public String toString() {
            return "NEED_MORE";
        }
    };

    /** Deepest nesting of aggregates accepted: Redis's own replies nest a handful of levels. */
    public static final int MAX_DEPTH = 128;
    /** Longest line (simple string, error, number, header) accepted, CRLF included. */
    public static final int MAX_LINE = 1 << 20;
    /** Largest bulk string accepted: Redis's own {@code proto-max-bulk-len} default, 512 MiB. */
    public static final long DEFAULT_MAX_BULK = 512L * 1024 * 1024;
    /** Bulk strings up to this size get their final array at once; larger ones grow as their bytes come. */
    static final int PREALLOCATE_LIMIT = 1 << 20;

    private static final int INITIAL = 8 * 1024;
    /** The most free space {@link #writable()} asks for: a read of a busy pipelined connection takes this much. */
    static final int MAX_READ_ROOM = 64 * 1024;

    private static final long UNBOUNDED = -2;

    private final long maxBulk;
    private byte[] buf = new byte[INITIAL];
    private int head;
    private int tail;
    private ByteBuffer window;
    /** The free space {@link #writable()} makes room for: from 4 KiB, doubled each time a read fills it all. */
    private int readRoom = 4096;

    /** Open aggregates, innermost last. */
    private Frame[] stack = new Frame[8];

    private int depth;

    // A bulk payload being filled: target array, bytes filled, final length, and how the value is delivered.
    private byte[] bulk;
    private int bulkFilled;
    private int bulkLength;
    private byte bulkKind; // '$', '=', '!', ';' (a chunk of a streamed string)
    private boolean bulkNeedsCrlf;
    // A streamed string ($?) being gathered from its chunks.
    private byte[] streamed;
    private int streamedLength;
    private boolean inStreamedString;

    private RedisProtocolError failure;

    public RespParser() {
        this(DEFAULT_MAX_BULK);
    }

    public RespParser(long maxBulk) {
        if (maxBulk <= 0) {
            throw new IllegalArgumentException("maxBulk must be positive: " + maxBulk);
        }
        this.maxBulk = maxBulk;
    }

    /** Copies {@code len} bytes of {@code src} into the parser. */
    public void feed(byte[] src, int off, int len) {
        ensureRoom(len);
        System.arraycopy(src, off, buf, tail, len);
        tail += len;
    }

    public void feed(byte[] src) {
        feed(src, 0, src.length);
    }

    /**
     * A buffer over the parser's free space (at least {@code 4 KiB}) for a read to fill; report what was read with
     * {@link #filled}. The buffer is reused until the parser's array grows. When reads keep filling all the space
     * offered (many replies pipelined), the space offered doubles, up to {@link #MAX_READ_ROOM}: fewer, larger reads.
     */
    public ByteBuffer writable() {
        ensureRoom(readRoom);
        if (window == null || window.array() != buf) {
            window = ByteBuffer.wrap(buf);
        }
        window.limit(buf.length).position(tail);
        return window;
    }

    /** Records that {@code n} bytes were written into {@link #writable()}'s buffer. */
    public void filled(int n) {
        if (n < 0 || tail + n > buf.length) {
            throw new IllegalArgumentException("filled " + n + " with " + (buf.length - tail) + " free");
        }
        tail += n;
        if (tail == buf.length && readRoom < MAX_READ_ROOM) {
            readRoom *= 2;
        }
    }

    /** Bytes received but not parsed yet. */
    public int buffered() {
        return tail - head;
    }

    /** Whether no reply is partly parsed and nothing is buffered: the stream is at a reply boundary. */
    public boolean idle() {
        return head == tail && depth == 0 && bulk == null && !inStreamedString;
    }

    /** The error that failed this parser, or null. */
    public RedisProtocolError failure() {
        return failure;
    }

    /**
     * The next whole reply, or {@link #NEED_MORE}.
     *
     * @throws RedisProtocolError if the bytes are not RESP; every later call throws it again
     */
    public Object next() {
        return next(false);
    }

    /**
     * {@link #next()}, with a top-level bulk string ({@code $}) that has wholly arrived returned as a {@link String}
     * decoded as UTF-8 when {@code textBulk} is true: the caller knows the reply it waits for is text, and the value is
     * decoded straight from the read buffer with no intermediate {@code byte[]}. A bulk string that arrives in pieces,
     * one inside an aggregate, and every other reply type come as {@link #next()} gives them, so a caller passing
     * true must accept both a {@code byte[]} and a {@link String} for a bulk string.
     *
     * @throws RedisProtocolError if the bytes are not RESP; every later call throws it again
     */
    public Object next(boolean textBulk) {
        if (failure != null) {
            throw failure;
        }
        try {
            return parse(textBulk);
        } catch (RedisProtocolError e) {
            failure = e;
            throw e;
        }
    }

    private Object parse(boolean textBulk) {
        while (true) {
            Object value;
            if (bulk != null) {
                value = continueBulk();
                if (value == NEED_MORE) {
                    return NEED_MORE;
                }
                if (value == CHUNK_DONE) {
                    continue;
                }
            } else {
                int cr = findCrlf();
                if (cr < 0) {
                    return NEED_MORE;
                }
                byte type = buf[head];
                int start = head + 1;
                head = cr + 2;
                value = type == '$' ? bulkLine(start, cr, textBulk && depth == 0) : line(type, start, cr);
                if (value == CONTINUE) {
                    continue;
                }
            }
            // deliver the value to the innermost open aggregate, closing those it completes
            while (true) {
                if (depth == 0) {
                    return value;
                }
                Frame f = stack[depth - 1];
                f.items.add(value);
                if (f.remaining != UNBOUNDED && --f.remaining > 0) {
                    break;
                }
                if (f.remaining == UNBOUNDED) {
                    break;
                }
                value = closeFrame();
                if (value == CONTINUE) {
                    break;
                }
            }
        }
    }

    /** Markers internal to the state machine. */
    private static final Object CONTINUE = new Object();

    private static final Object CHUNK_DONE = new Object();

    private Object line(byte type, int start, int end) {
        if (inStreamedString && type != ';') {
            throw new RedisProtocolError("expected a ';' chunk of a streamed string, got " + describe(type));
        }
        switch (type) {
            case '+':
                return simpleString(start, end);
            case '-':
                return new ErrorReply(new String(buf, start, end - start, StandardCharsets.UTF_8));
            case ':':
                return parseLong(start, end, "integer");
            case '$', '=', '!': {
                if (type == '$' && end - start == 1 && buf[start] == '?') {
                    inStreamedString = true;
                    streamed = new byte[64];
                    streamedLength = 0;
                    return CONTINUE;
                }
                long len = parseLong(start, end, "bulk length");
                if (len == -1 && type == '$') {
                    return null;
                }
                startBulk(type, len);
                return CONTINUE;
            }
            case ';': {
                if (!inStreamedString) {
                    throw new RedisProtocolError("a ';' chunk outside a streamed string");
                }
                long len = parseLong(start, end, "chunk length");
                if (len == 0) {
                    inStreamedString = false;
                    byte[] value = Arrays.copyOf(streamed, streamedLength);
                    streamed = null;
                    return value;
                }
                startBulk((byte) ';', len);
                return CONTINUE;
            }
            case '*', '~', '%', '>', '|': {
                if (end - start == 1 && buf[start] == '?') {
                    if (type == '>' || type == '|') {
                        throw new RedisProtocolError(describe(type) + " of unknown length is not RESP3");
                    }
                    openFrame(type, UNBOUNDED);
                    return CONTINUE;
                }
                long n = parseLong(start, end, "aggregate length");
                if (n == -1 && type == '*') {
                    return null;
                }
                if (n < 0 || n > Integer.MAX_VALUE) {
                    throw new RedisProtocolError("aggregate length out of range: " + n);
                }
                if (n == 0) {
                    return emptyAggregate(type);
                }
                openFrame(type, (type == '%' || type == '|') ? 2 * n : n);
                return CONTINUE;
            }
            case '.': {
                if (end != start) {
                    throw new RedisProtocolError("junk after '.': " + text(start, end));
                }
                if (depth == 0 || stack[depth - 1].remaining != UNBOUNDED) {
                    throw new RedisProtocolError("'.' with no aggregate of unknown length open");
                }
                Frame f = stack[depth - 1];
                if (f.type == '%' && (f.items.size() & 1) != 0) {
                    throw new RedisProtocolError("a streamed map ended after a key with no value");
                }
                Object v = closeFrame();
                if (v == CONTINUE) {
                    return CONTINUE;
                }
                // the closed aggregate is delivered to its parent by the caller
                return v;
            }
            case '_':
                if (end != start) {
                    throw new RedisProtocolError("junk after '_': " + text(start, end));
                }
                return null;
            case ',':
                return parseDouble(start, end);
            case '#':
                if (end - start == 1 && buf[start] == 't') {
                    return Boolean.TRUE;
                }
                if (end - start == 1 && buf[start] == 'f') {
                    return Boolean.FALSE;
                }
                throw new RedisProtocolError("bad boolean: " + text(start, end));
            case '(':
                return parseBig(start, end);
            default:
                throw new RedisProtocolError("unknown reply type " + describe(type));
        }
    }

    /**
     * A {@code $} header: a bulk string whose payload and CRLF have all arrived is copied out at once (as text when
     * {@code text}); otherwise its bytes are gathered as they come ({@link #startBulk}).
     */
    private Object bulkLine(int start, int end, boolean text) {
        if (inStreamedString || (end - start == 1 && buf[start] == '?')) {
            return line((byte) '$', start, end);
        }
        long len = parseLong(start, end, "bulk length");
        if (len == -1) {
            return null;
        }
        if (len < 0 || len > maxBulk || len > tail - head - 2) {
            startBulk((byte) '$', len); // checks the length; the payload has not all arrived
            return CONTINUE;
        }
        int from = head;
        int n = (int) len;
        if (buf[from + n] != '\r' || buf[from + n + 1] != '\n') {
            throw new RedisProtocolError("bulk string of " + n + " bytes not followed by CRLF");
        }
        head = from + n + 2;
        return text ? new String(buf, from, n, StandardCharsets.UTF_8) : Arrays.copyOfRange(buf, from, from + n);
    }

    private Object simpleString(int start, int end) {
        int n = end - start;
        if (n == 2 && buf[start] == 'O' && buf[start + 1] == 'K') {
            return "OK";
        }
        if (n == 4 && buf[start] == 'P' && buf[start + 1] == 'O' && buf[start + 2] == 'N' && buf[start + 3] == 'G') {
            return "PONG";
        }
        if (n == 6 && buf[start] == 'Q' && buf[start + 1] == 'U') {
            String s = text(start, end);
            return s.equals("QUEUED") ? "QUEUED" : s;
        }
        return new String(buf, start, n, StandardCharsets.UTF_8);
    }

    private static Object emptyAggregate(byte type) {
        return switch (type) {
            case '%' -> new RespMap(0);
            case '~' -> new RespSet(0);
            case '>' -> new RespPush(0);
            case '|' -> CONTINUE; // an empty attribute annotates the next value: nothing to deliver
            default -> new ArrayList<>(0);
        };
    }

    private void openFrame(byte type, long remaining) {
        if (depth == MAX_DEPTH) {
            throw new RedisProtocolError("aggregates nested deeper than " + MAX_DEPTH);
        }
        if (depth == stack.length) {
            stack = Arrays.copyOf(stack, depth * 2);
        }
        Frame f = stack[depth];
        if (f == null) {
            f = stack[depth] = new Frame();
        }
        f.type = type;
        f.remaining = remaining;
        int capacity = remaining == UNBOUNDED ? 8 : (int) Math.min(remaining, 1024);
        f.items = switch (type) {
            case '%' -> new RespMap(capacity);
            case '~' -> new RespSet(capacity);
            case '>' -> new RespPush(capacity);
            default -> new ArrayList<>(capacity);
        };
        depth++;
    }

    /** Pops the innermost aggregate; returns it, or {@link #CONTINUE} for an attribute (dropped). */
    private Object closeFrame() {
        Frame f = stack[--depth];
        List<Object> items = f.items;
        f.items = null;
        return f.type == '|' ? CONTINUE : items;
    }

    private void startBulk(byte kind, long len) {
        if (len < 0) {
            throw new RedisProtocolError("negative " + (kind == ';' ? "chunk" : "bulk") + " length: " + len);
        }
        if (len > maxBulk || (kind == ';' && streamedLength + len > maxBulk)) {
            throw new RedisProtocolError("bulk string of " + len + " bytes is over the limit of " + maxBulk);
        }
        if (kind == '=' && len < 4) {
            throw new RedisProtocolError("verbatim string shorter than its 4-byte format prefix: " + len);
        }
        bulkKind = kind;
        bulkLength = (int) len;
        bulkFilled = 0;
        bulkNeedsCrlf = true;
        bulk = new byte[(int) Math.min(len, PREALLOCATE_LIMIT)];
    }

    private Object continueBulk() {
        if (bulkFilled < bulkLength) {
            int avail = tail - head;
            if (avail == 0) {
                return NEED_MORE;
            }
            int k = Math.min(avail, bulkLength - bulkFilled);
            if (bulkFilled + k > bulk.length) {
                bulk = Arrays.copyOf(bulk, (int) Math.min(bulkLength, Math.max(bulkFilled + k, 2L * bulk.length)));
            }
            System.arraycopy(buf, head, bulk, bulkFilled, k);
            head += k;
            bulkFilled += k;
            if (bulkFilled < bulkLength) {
                return NEED_MORE;
            }
        }
        if (bulkNeedsCrlf) {
            if (tail - head < 2) {
                if (tail - head == 1 && buf[head] != '\r') {
                    throw new RedisProtocolError("bulk string of " + bulkLength + " bytes not followed by CRLF");
                }
                return NEED_MORE;
            }
            if (buf[head] != '\r' || buf[head + 1] != '\n') {
                throw new RedisProtocolError("bulk string of " + bulkLength + " bytes not followed by CRLF");
            }
            head += 2;
        }
        byte[] value = bulk;
        bulk = null;
        switch (bulkKind) {
            case '=':
                if (value[3] != ':') {
                    throw new RedisProtocolError("verbatim string without its 'xxx:' format prefix");
                }
                return Arrays.copyOfRange(value, 4, value.length);
            case '!':
                return new ErrorReply(new String(value, StandardCharsets.UTF_8));
            case ';':
                if (streamedLength + value.length > streamed.length) {
                    streamed = Arrays.copyOf(streamed, Math.max(streamedLength + value.length, 2 * streamed.length));
                }
                System.arraycopy(value, 0, streamed, streamedLength, value.length);
                streamedLength += value.length;
                return CHUNK_DONE;
            default:
                return value;
        }
    }

    /** Index of the CR of the first line in the buffer, or -1 if it has not all arrived. */
    private int findCrlf() {
        int limit = Math.min(tail, head + MAX_LINE);
        for (int i = head; i < limit; i++) {
            byte b = buf[i];
            if (b == '\r') {
                if (i + 1 == tail) {
                    return -1;
                }
                if (buf[i + 1] != '\n') {
                    throw new RedisProtocolError("CR not followed by LF in a reply line");
                }
                if (i == head) {
                    throw new RedisProtocolError("empty reply line");
                }
                return i;
            }
            if (b == '\n') {
                throw new RedisProtocolError("LF without CR in a reply line");
            }
        }
        if (tail - head >= MAX_LINE) {
            throw new RedisProtocolError("reply line longer than " + MAX_LINE + " bytes");
        }
        return -1;
    }

    private long parseLong(int start, int end, String what) {
        int i = start;
        boolean negative = false;
        if (i < end && (buf[i] == '-' || buf[i] == '+')) {
            negative = buf[i] == '-';
            i++;
        }
        if (i == end || end - i > 19) {
            throw new RedisProtocolError("bad " + what + ": " + text(start, end));
        }
        long v = 0;
        for (; i < end; i++) {
            int d = buf[i] - '0';
            if (d < 0 || d > 9) {
                throw new RedisProtocolError("bad " + what + ": " + text(start, end));
            }
            v = v * 10 + d;
            if (v < 0 && !(negative && v == Long.MIN_VALUE && i == end - 1)) {
                throw new RedisProtocolError(what + " out of range: " + text(start, end));
            }
        }
        return negative ? -v : v;
    }

    private Double parseDouble(int start, int end) {
        String s = text(start, end);
        switch (s) {
            case "inf", "+inf":
                return Double.POSITIVE_INFINITY;
            case "-inf":
                return Double.NEGATIVE_INFINITY;
            case "nan", "-nan":
                return Double.NaN;
            default:
        }
        for (int i = start; i < end; i++) {
            byte b = buf[i];
            if (!((b >= '0' && b <= '9') || b == '-' || b == '+' || b == '.' || b == 'e' || b == 'E')) {
                throw new RedisProtocolError("bad double: " + s);
            }
        }
        try {
            return Double.valueOf(s);
        } catch (NumberFormatException e) {
            throw new RedisProtocolError("bad double: " + s);
        }
    }

    private BigInteger parseBig(int start, int end) {
        String s = text(start, end);
        if (s.isEmpty() || s.length() > 10_000) {
            throw new RedisProtocolError("bad big number of " + s.length() + " characters");
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9') && !(i == 0 && (c == '-' || c == '+') && s.length() > 1)) {
                throw new RedisProtocolError("bad big number: " + s);
            }
        }
        return new BigInteger(s);
    }

    private String text(int start, int end) {
        int n = Math.min(end - start, 64);
        String s = new String(buf, start, n, StandardCharsets.ISO_8859_1);
        return end - start > n ? s + "..." : s;
    }

    private static String describe(byte type) {
        return (type >= 0x21 && type < 0x7f) ? "'" + (char) type + "'" : String.format("0x%02x", type & 0xff);
    }

    private void ensureRoom(int n) {
        if (buf.length - tail >= n) {
            return;
        }
        int live = tail - head;
        if (head > 0 && buf.length - live >= n && live <= buf.length / 2) {
            System.arraycopy(buf, head, buf, 0, live);
        } else {
            byte[] bigger = new byte[(int) Math.min(Integer.MAX_VALUE - 8, Math.max((long) live + n, 2L * buf.length))];
            System.arraycopy(buf, head, bigger, 0, live);
            buf = bigger;
        }
        head = 0;
        tail = live;
    }

    /** One open aggregate: its type, the elements still expected ({@link #UNBOUNDED} for {@code ?}), and them. */
    private static final class Frame {
        byte type;
        long remaining;
        List<Object> items;
    }
}
