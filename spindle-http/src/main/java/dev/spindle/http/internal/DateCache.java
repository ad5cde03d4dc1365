package dev.spindle.http.internal;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The {@code Date} header line, formatted once a second (RFC 9110 §5.6.7 IMF-fixdate) and shared by every loop: a
 * response costs a volatile read and a time check, not a format.
 */
public final class DateCache {
    public static final DateTimeFormatter IMF_FIXDATE = DateTimeFormatter.ofPattern(
                    "EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US)
            .withZone(ZoneOffset.UTC);

    private record Entry(long second, byte[] line) {}

    private static volatile Entry current = new Entry(Long.MIN_VALUE, new byte[0]);

    private DateCache() {}

    /** {@code "Date: Sun, 06 Nov 1994 08:49:37 GMT\r\n"} for now. */
    public static byte[] dateLine() {
        long second = System.currentTimeMillis() / 1000;
        Entry e = current;
        if (e.second != second) {
            e = new Entry(
                    second,
                    ("Date: " + IMF_FIXDATE.format(Instant.ofEpochSecond(second)) + "\r\n")
                            .getBytes(StandardCharsets.ISO_8859_1));
            current = e;
        }
        return e.line;
    }

    /** An HTTP date for {@code epochSecond}. */
    public static String format(long epochSecond) {
        return IMF_FIXDATE.format(Instant.ofEpochSecond(epochSecond));
    }

    /**
     * The epoch second of an HTTP date (IMF-fixdate; RFC 850 and asctime forms are obsolete and read as absent), or
     * {@link Long#MIN_VALUE} when it does not parse (then the condition is ignored, RFC 9110 §13.1.3).
     */
    public static long parse(String value) {
        try {
            return Instant.from(IMF_FIXDATE.parse(value.trim())).getEpochSecond();
        } catch (RuntimeException e) {
            return Long.MIN_VALUE;
        }
    }
}
