package dev.spindle.mysql.internal.codec;

import dev.spindle.mysql.Column;
import dev.spindle.mysql.MySqlException;
import dev.spindle.mysql.ProtocolError;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;

/**
 * Column values to Java values, from the text protocol (COM_QUERY rows: every value a length-encoded string) and the
 * binary protocol (COM_STMT_EXECUTE rows: fixed-size integers, packed temporal values). Both give the same Java type
 * for the same column:
 *
 * <table>
 *   <caption>Type mapping</caption>
 *   <tr><th>column</th><th>Java</th></tr>
 *   <tr><td>TINYINT, SMALLINT, MEDIUMINT, INT (signed), YEAR</td><td>Integer</td></tr>
 *   <tr><td>TINYINT(1), BIT(1)</td><td>Boolean (by option)</td></tr>
 *   <tr><td>INT UNSIGNED, BIGINT</td><td>Long</td></tr>
 *   <tr><td>BIGINT UNSIGNED</td><td>BigInteger</td></tr>
 *   <tr><td>BIT(n)</td><td>Long</td></tr>
 *   <tr><td>FLOAT, DOUBLE</td><td>Float, Double</td></tr>
 *   <tr><td>DECIMAL</td><td>BigDecimal</td></tr>
 *   <tr><td>DATE, DATETIME, TIMESTAMP</td><td>LocalDate, LocalDateTime (TIMESTAMP in the session time zone)</td></tr>
 *   <tr><td>TIME</td><td>Duration (TIME spans -838:59:59 to 838:59:59)</td></tr>
 *   <tr><td>CHAR, VARCHAR, TEXT, ENUM, SET, JSON</td><td>String</td></tr>
 *   <tr><td>BINARY, VARBINARY, BLOB, GEOMETRY</td><td>byte[]</td></tr>
 * </table>
 */
public final class Values {
    private Values() {}

    private static final BigInteger TWO_64 = BigInteger.ONE.shiftLeft(64);

    // ---- text protocol ----------------------------------------------------------------------------------------

    /** Decodes the text value {@code buf[off, off + len)} of column {@code c}. */
    public static Object text(Column c, byte[] buf, int off, int len, DecodeOptions o) {
        try {
            return textValue(c, buf, off, len, o);
        } catch (NumberFormatException e) {
            throw bad(c, "a malformed number: " + ascii(buf, off, Math.min(len, 40)));
        }
    }

    private static Object textValue(Column c, byte[] buf, int off, int len, DecodeOptions o) {
        switch (c.type()) {
            case ColumnType.TINY -> {
                if (o.tinyInt1IsBoolean() && c.length() == 1) {
                    return parseLong(buf, off, len, c) != 0;
                }
                return (int) parseLong(buf, off, len, c);
            }
            case ColumnType.SHORT, ColumnType.INT24, ColumnType.YEAR -> {
                return (int) parseLong(buf, off, len, c);
            }
            case ColumnType.LONG -> {
                long v = parseLong(buf, off, len, c);
                return c.isUnsigned() ? (Object) v : (Object) (int) v;
            }
            case ColumnType.LONGLONG -> {
                if (c.isUnsigned()) {
                    return new BigInteger(ascii(buf, off, len));
                }
                return parseLong(buf, off, len, c);
            }
            case ColumnType.FLOAT -> {
                return Float.parseFloat(ascii(buf, off, len));
            }
            case ColumnType.DOUBLE -> {
                return Double.parseDouble(ascii(buf, off, len));
            }
            case ColumnType.DECIMAL, ColumnType.NEWDECIMAL -> {
                return new BigDecimal(ascii(buf, off, len));
            }
            case ColumnType.DATE, ColumnType.NEWDATE -> {
                return textDate(buf, off, len, c, o);
            }
            case ColumnType.DATETIME, ColumnType.TIMESTAMP, ColumnType.DATETIME2, ColumnType.TIMESTAMP2 -> {
                return textDateTime(buf, off, len, c, o);
            }
            case ColumnType.TIME, ColumnType.TIME2 -> {
                return textTime(buf, off, len, c);
            }
            case ColumnType.BIT -> {
                return bits(buf, off, len, c, o);
            }
            case ColumnType.NULL -> {
                return null;
            }
            case ColumnType.GEOMETRY -> {
                return copy(buf, off, len);
            }
            default -> {
                if (c.isBinary() && c.type() != ColumnType.JSON) {
                    return copy(buf, off, len);
                }
                return new String(buf, off, len, StandardCharsets.UTF_8);
            }
        }
    }

    private static byte[] copy(byte[] buf, int off, int len) {
        byte[] out = new byte[len];
        System.arraycopy(buf, off, out, 0, len);
        return out;
    }

    private static String ascii(byte[] buf, int off, int len) {
        return new String(buf, off, len, StandardCharsets.ISO_8859_1);
    }

    private static Object bits(byte[] buf, int off, int len, Column c, DecodeOptions o) {
        if (len > 8) {
            throw bad(c, "a BIT value of " + len + " bytes");
        }
        long v = 0;
        for (int i = 0; i < len; i++) {
            v = v << 8 | (buf[off + i] & 0xFF);
        }
        if (o.tinyInt1IsBoolean() && c.length() == 1) {
            return v != 0;
        }
        return v;
    }

    /** A decimal integer, without making a String (the common case of every id column). */
    static long parseLong(byte[] buf, int off, int len, Column c) {
        if (len == 0 || len > 20) {
            throw bad(c, "an integer of " + len + " characters");
        }
        int i = off;
        int end = off + len;
        boolean neg = buf[i] == '-';
        if (neg || buf[i] == '+') {
            i++;
            if (i == end) {
                throw bad(c, "a sign without digits");
            }
        }
        long v = 0;
        for (; i < end; i++) {
            int d = buf[i] - '0';
            if (d < 0 || d > 9) {
                throw bad(c, "a non-digit in an integer: " + ascii(buf, off, len));
            }
            long next = v * 10 - d; // accumulate negatively: Long.MIN_VALUE fits
            if (v < Long.MIN_VALUE / 10 || next > v) {
                throw bad(c, "an integer out of range: " + ascii(buf, off, len));
            }
            v = next;
        }
        if (!neg) {
            if (v == Long.MIN_VALUE) {
                throw bad(c, "an integer out of range: " + ascii(buf, off, len));
            }
            v = -v;
        }
        return v;
    }

    private static int digits(byte[] buf, int at, int n, Column c) {
        int v = 0;
        for (int i = 0; i < n; i++) {
            int d = buf[at + i] - '0';
            if (d < 0 || d > 9) {
                throw bad(c, "a non-digit in a date or time: " + ascii(buf, at, n));
            }
            v = v * 10 + d;
        }
        return v;
    }

    private static Object textDate(byte[] buf, int off, int len, Column c, DecodeOptions o) {
        if (len != 10 || buf[off + 4] != '-' || buf[off + 7] != '-') {
            throw bad(c, "a DATE of " + len + " characters: " + ascii(buf, off, len));
        }
        int y = digits(buf, off, 4, c);
        int m = digits(buf, off + 5, 2, c);
        int d = digits(buf, off + 8, 2, c);
        if (m == 0 || d == 0) {
            return zeroDate(c, o, ascii(buf, off, len));
        }
        return date(y, m, d, c);
    }

    private static Object textDateTime(byte[] buf, int off, int len, Column c, DecodeOptions o) {
        if (len < 19 || buf[off + 4] != '-' || buf[off + 10] != ' ' || buf[off + 13] != ':') {
            throw bad(c, "a DATETIME of " + len + " characters: " + ascii(buf, off, len));
        }
        int y = digits(buf, off, 4, c);
        int mo = digits(buf, off + 5, 2, c);
        int d = digits(buf, off + 8, 2, c);
        int h = digits(buf, off + 11, 2, c);
        int mi = digits(buf, off + 14, 2, c);
        int s = digits(buf, off + 17, 2, c);
        int nanos = fraction(buf, off + 19, len - 19, c);
        if (mo == 0 || d == 0) {
            return zeroDate(c, o, ascii(buf, off, len));
        }
        return dateTime(y, mo, d, h, mi, s, nanos, c);
    }

    private static int fraction(byte[] buf, int at, int n, Column c) {
        if (n == 0) {
            return 0;
        }
        if (buf[at] != '.' || n > 10 || n < 2) {
            throw bad(c, "a fractional second: " + ascii(buf, at, n));
        }
        int v = digits(buf, at + 1, n - 1, c);
        for (int i = n - 1; i < 9; i++) {
            v *= 10;
        }
        return v;
    }

    private static Duration textTime(byte[] buf, int off, int len, Column c) {
        int i = off;
        int end = off + len;
        boolean neg = len > 0 && buf[i] == '-';
        if (neg) {
            i++;
        }
        int colon = i;
        while (colon < end && buf[colon] != ':') {
            colon++;
        }
        if (colon == i || end - colon < 6 || buf[colon + 3] != ':') {
            throw bad(c, "a TIME: " + ascii(buf, off, len));
        }
        long h = digits(buf, i, colon - i, c);
        int m = digits(buf, colon + 1, 2, c);
        int s = digits(buf, colon + 4, 2, c);
        int nanos = fraction(buf, colon + 6, end - colon - 6, c);
        Duration dur = Duration.ofSeconds(h * 3600 + m * 60L + s, nanos);
        return neg ? dur.negated() : dur;
    }

    private static Object zeroDate(Column c, DecodeOptions o, String text) {
        if (o.zeroDateIsNull()) {
            return null;
        }
        throw new MySqlException("column " + c.name() + " holds the zero date " + text
                + ", which no Java date can hold; set zeroDates=null to read such values as null");
    }

    private static LocalDate date(int y, int m, int d, Column c) {
        try {
            return LocalDate.of(y, m, d);
        } catch (DateTimeException e) {
            throw bad(c, "an impossible date " + y + "-" + m + "-" + d);
        }
    }

    private static LocalDateTime dateTime(int y, int mo, int d, int h, int mi, int s, int nanos, Column c) {
        try {
            return LocalDateTime.of(y, mo, d, h, mi, s, nanos);
        } catch (DateTimeException e) {
            throw bad(c, "an impossible date and time " + y + "-" + mo + "-" + d + " " + h + ":" + mi + ":" + s);
        }
    }

    private static ProtocolError bad(Column c, String what) {
        return new ProtocolError("column " + c.name() + " (" + c.typeName() + ") holds " + what);
    }

    // ---- binary protocol --------------------------------------------------------------------------------------

    /** Decodes column {@code c}'s binary value at the payload's position, moving past it. */
    public static Object binary(Column c, Payload p, DecodeOptions o) {
        switch (c.type()) {
            case ColumnType.TINY -> {
                int v = p.int1();
                if (o.tinyInt1IsBoolean() && c.length() == 1) {
                    return v != 0;
                }
                return c.isUnsigned() ? v : (int) (byte) v;
            }
            case ColumnType.SHORT, ColumnType.YEAR -> {
                int v = p.int2();
                return c.isUnsigned() || c.type() == ColumnType.YEAR ? v : (int) (short) v;
            }
            case ColumnType.INT24, ColumnType.LONG -> {
                int v = p.int4();
                if (c.isUnsigned() && c.type() == ColumnType.LONG) {
                    return v & 0xFFFFFFFFL;
                }
                return v;
            }
            case ColumnType.LONGLONG -> {
                long v = p.int8();
                if (c.isUnsigned()) {
                    BigInteger b = BigInteger.valueOf(v);
                    return v < 0 ? b.add(TWO_64) : b;
                }
                return v;
            }
            case ColumnType.FLOAT -> {
                return Float.intBitsToFloat(p.int4());
            }
            case ColumnType.DOUBLE -> {
                return Double.longBitsToDouble(p.int8());
            }
            case ColumnType.DATE, ColumnType.NEWDATE -> {
                return binaryDateTime(p, c, o, true);
            }
            case ColumnType.DATETIME, ColumnType.TIMESTAMP, ColumnType.DATETIME2, ColumnType.TIMESTAMP2 -> {
                return binaryDateTime(p, c, o, false);
            }
            case ColumnType.TIME, ColumnType.TIME2 -> {
                return binaryTime(p, c);
            }
            case ColumnType.NULL -> {
                return null;
            }
            default -> {
                int n = p.lenencLength();
                if (n < 0) {
                    throw bad(c, "a NULL length inside a binary row (NULLs belong in the bitmap)");
                }
                Object v = text(c, p.array(), p.position(), n, o);
                p.skip(n);
                return v;
            }
        }
    }

    private static Object binaryDateTime(Payload p, Column c, DecodeOptions o, boolean dateOnly) {
        int n = p.int1();
        if (n != 0 && n != 4 && n != 7 && n != 11) {
            throw bad(c, "a temporal value of " + n + " bytes");
        }
        if (n == 0) {
            return zeroDate(c, o, "0000-00-00");
        }
        int y = p.int2();
        int mo = p.int1();
        int d = p.int1();
        int h = 0;
        int mi = 0;
        int s = 0;
        int micros = 0;
        if (n >= 7) {
            h = p.int1();
            mi = p.int1();
            s = p.int1();
        }
        if (n == 11) {
            micros = p.int4();
        }
        if (mo == 0 || d == 0) {
            return zeroDate(c, o, y + "-" + mo + "-" + d);
        }
        if (micros < 0 || micros > 999_999) {
            throw bad(c, "a microsecond field of " + micros);
        }
        if (dateOnly) {
            return date(y, mo, d, c);
        }
        return dateTime(y, mo, d, h, mi, s, micros * 1000, c);
    }

    private static Duration binaryTime(Payload p, Column c) {
        int n = p.int1();
        if (n != 0 && n != 8 && n != 12) {
            throw bad(c, "a TIME value of " + n + " bytes");
        }
        if (n == 0) {
            return Duration.ZERO;
        }
        boolean neg = p.int1() == 1;
        long days = p.int4() & 0xFFFFFFFFL;
        int h = p.int1();
        int m = p.int1();
        int s = p.int1();
        int micros = n == 12 ? p.int4() : 0;
        if (micros < 0 || micros > 999_999 || h > 23 || m > 59 || s > 59) {
            throw bad(c, "an impossible TIME field");
        }
        Duration d = Duration.ofSeconds(days * 86400 + h * 3600L + m * 60L + s, micros * 1000L);
        return neg ? d.negated() : d;
    }
}
