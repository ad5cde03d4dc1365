package dev.spindle.http.internal;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The {@code Date} header line, formatted once a second (RFC 9110 §5.6.7 IMF-fixdate) and shared by every loop: a
 * response costs a volatile read and a time check, not a format.
 *
 * <p>Formatting is done by hand (the format is fixed, English, UTC): a {@link DateTimeFormatter} with a pattern
 * loads the JDK's locale providers and CLDR data on first use, some 200 classes and tens of milliseconds on the
 * first response of a fresh JVM. Parsing (conditional requests only) still uses the formatter.
 */
public final class DateCache {
    private static final class Parser {
        static final DateTimeFormatter IMF_FIXDATE = DateTimeFormatter.ofPattern(
                        "EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US)
                .withZone(ZoneOffset.UTC);
    }

    private static final String[] DAYS = {"Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"}; // 1970-01-01: Thursday
    private static final String[] MONTHS = {
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
    };

    private record Entry(long second, byte[] line) {}

    private static volatile Entry current = new Entry(Long.MIN_VALUE, new byte[0]);

    private DateCache() {}

    /** {@code "Date: Sun, 06 Nov 1994 08:49:37 GMT\r\n"} for now. */
    public static byte[] dateLine() {
        long second = System.currentTimeMillis() / 1000;
        Entry e = current;
        if (e.second != second) {
            e = new Entry(second, ("Date: " + format(second) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            current = e;
        }
        return e.line;
    }

    /** An HTTP date for {@code epochSecond}. */
    public static String format(long epochSecond) {
        long day = Math.floorDiv(epochSecond, 86_400L);
        int secondOfDay = (int) Math.floorMod(epochSecond, 86_400L);
        LocalDate date = LocalDate.ofEpochDay(day);
        StringBuilder b = new StringBuilder(29);
        b.append(DAYS[(int) Math.floorMod(day, 7L)]).append(", ");
        two(b, date.getDayOfMonth())
                .append(' ')
                .append(MONTHS[date.getMonthValue() - 1])
                .append(' ');
        int year = date.getYear();
        if (year >= 0 && year < 1000) {
            b.append(year < 10 ? "000" : year < 100 ? "00" : "0");
        }
        b.append(year).append(' ');
        two(b, secondOfDay / 3600).append(':');
        two(b, secondOfDay / 60 % 60).append(':');
        two(b, secondOfDay % 60);
        return b.append(" GMT").toString();
    }

    private static StringBuilder two(StringBuilder b, int n) {
        return b.append((char) ('0' + n / 10)).append((char) ('0' + n % 10));
    }

    /**
     * The epoch second of an HTTP date (IMF-fixdate; RFC 850 and asctime forms are obsolete and read as absent), or
     * {@link Long#MIN_VALUE} when it does not parse (then the condition is ignored, RFC 9110 §13.1.3).
     */
    public static long parse(String value) {
        try {
            return Instant.from(Parser.IMF_FIXDATE.parse(value.trim())).getEpochSecond();
        } catch (RuntimeException e) {
            return Long.MIN_VALUE;
        }
    }
}
