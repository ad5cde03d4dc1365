package dev.spindle.redis.internal.resp;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Encodes commands (arrays of bulk strings) and, for tests and fake servers, any RESP3 value, into one growable
 * buffer that is reused: {@link #reset()} after its bytes were handed to the socket (the socket copies what it does
 * not send at once). Strings are encoded as UTF-8 straight into the buffer and numbers as their decimal digits, with no
 * intermediate arrays.
 *
 * <p>Not thread-safe: one writer per connection.
 */
public final class RespWriter {
    private static final int SHRINK_ABOVE = 1 << 20;
    private byte[] buf;
    private int size;

    public RespWriter() {
        this(4096);
    }

    public RespWriter(int initialCapacity) {
        buf = new byte[initialCapacity];
    }

    /** The encoded bytes: {@code array()[0, size())}. */
    public byte[] array() {
        return buf;
    }

    public int size() {
        return size;
    }

    /** Empties the buffer, and gives back memory a huge command took. */
    public void reset() {
        size = 0;
        if (buf.length > SHRINK_ABOVE) {
            buf = new byte[4096];
        }
    }

    /** A copy of the encoded bytes. */
    public byte[] toByteArray() {
        return Arrays.copyOf(buf, size);
    }

    /** Starts a command (an array header) of {@code n} arguments, the command's name included. */
    public RespWriter array(int n) {
        return header('*', n);
    }

    public RespWriter bulk(byte[] value) {
        header('$', value.length);
        room(value.length + 2);
        System.arraycopy(value, 0, buf, size, value.length);
        size += value.length;
        buf[size++] = '\r';
        buf[size++] = '\n';
        return this;
    }

    public RespWriter bulk(String value) {
        // one pass for the usual ASCII text: written as if ASCII, redone as UTF-8 at the first char that is not
        int n = value.length();
        int mark = size;
        header('$', n);
        room(n + 2);
        byte[] b = buf;
        int at = size;
        for (int i = 0; i < n; i++) {
            char ch = value.charAt(i);
            if (ch >= 0x80) {
                size = mark;
                return bulk(value.getBytes(StandardCharsets.UTF_8));
            }
            b[at + i] = (byte) ch;
        }
        at += n;
        b[at] = '\r';
        b[at + 1] = '\n';
        size = at + 2;
        return this;
    }

    public RespWriter bulk(long value) {
        int digits = digits(value);
        header('$', digits);
        room(digits + 2);
        writeLong(value, digits);
        buf[size++] = '\r';
        buf[size++] = '\n';
        return this;
    }

    public RespWriter bulk(double value) {
        return bulk(formatDouble(value));
    }

    /** One command argument of any supported type: byte[], String, a whole number, a double, or an enum (its name). */
    public RespWriter arg(Object value) {
        return switch (value) {
            case byte[] b -> bulk(b);
            case String s -> bulk(s);
            case Long l -> bulk(l.longValue());
            case Integer i -> bulk(i.longValue());
            case Double d -> bulk(d.doubleValue());
            case Enum<?> e -> bulk(e.name());
            case null -> throw new IllegalArgumentException("a command argument is null");
            default -> bulk(value.toString());
        };
    }

    /** Redis's own spelling of a double argument: integral values without a fraction, infinities as inf. */
    public static String formatDouble(double value) {
        if (Double.isInfinite(value)) {
            return value > 0 ? "+inf" : "-inf";
        }
        if (Double.isNaN(value)) {
            throw new IllegalArgumentException("NaN is not a valid Redis number");
        }
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        return Double.toString(value);
    }

    // ---- any value, RESP3 (for tests and fake servers) ---------------------------------------------------------

    /** Encodes {@code value} as the parser would return it (see {@link RespParser}'s table). */
    public RespWriter value(Object value) {
        switch (value) {
            case null -> raw("_\r\n");
            case byte[] b -> bulk(b);
            case String s -> {
                raw("+");
                raw(s);
                raw("\r\n");
            }
            case ErrorReply e -> {
                raw("-");
                raw(e.message());
                raw("\r\n");
            }
            case Long l -> {
                room(1);
                buf[size++] = ':';
                int d = digits(l);
                room(d + 2);
                writeLong(l, d);
                raw("\r\n");
            }
            case Double d -> raw("," + (d.isNaN() ? "nan" : d.isInfinite() ? (d > 0 ? "inf" : "-inf") : d) + "\r\n");
            case Boolean b -> raw(b ? "#t\r\n" : "#f\r\n");
            case BigInteger b -> raw("(" + b + "\r\n");
            case RespMap m -> {
                header('%', m.size() / 2);
                m.forEach(this::value);
            }
            case RespSet s -> {
                header('~', s.size());
                s.forEach(this::value);
            }
            case RespPush p -> {
                header('>', p.size());
                p.forEach(this::value);
            }
            case List<?> l -> {
                header('*', l.size());
                l.forEach(this::value);
            }
            case Map<?, ?> m -> {
                header('%', m.size());
                m.forEach((k, v) -> {
                    value(k);
                    value(v);
                });
            }
            default -> throw new IllegalArgumentException("no RESP encoding for " + value.getClass());
        }
        return this;
    }

    /** Appends bytes as they are (ISO-8859-1), for hand-written and malformed replies. */
    public RespWriter raw(String s) {
        room(s.length());
        for (int i = 0; i < s.length(); i++) {
            buf[size++] = (byte) s.charAt(i);
        }
        return this;
    }

    // ---- internals ------------------------------------------------------------------------------------------

    private RespWriter header(char type, long n) {
        int d = digits(n);
        room(d + 3);
        buf[size++] = (byte) type;
        writeLong(n, d);
        buf[size++] = '\r';
        buf[size++] = '\n';
        return this;
    }

    private void writeLong(long v, int digits) {
        if (v == Long.MIN_VALUE) {
            byte[] s = Long.toString(v).getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(s, 0, buf, size, s.length);
            size += s.length;
            return;
        }
        int end = size + digits;
        int i = end;
        boolean neg = v < 0;
        long x = neg ? -v : v;
        do {
            buf[--i] = (byte) ('0' + (x % 10));
            x /= 10;
        } while (x != 0);
        if (neg) {
            buf[--i] = '-';
        }
        size = end;
    }

    static int digits(long v) {
        if (v == Long.MIN_VALUE) {
            return 20;
        }
        int n = v < 0 ? 2 : 1;
        long x = Math.abs(v);
        while (x >= 10) {
            x /= 10;
            n++;
        }
        return n;
    }

    private void room(int n) {
        if (buf.length - size < n) {
            buf = Arrays.copyOf(buf, Math.max(size + n, buf.length * 2));
        }
    }
}
