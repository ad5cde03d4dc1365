package dev.spindle.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** DateCache formats IMF-fixdate by hand; it must agree with the JDK's formatter for every second. */
class DateCacheTest {
    private static final DateTimeFormatter JDK = DateTimeFormatter.ofPattern(
                    "EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US)
            .withZone(ZoneOffset.UTC);

    @Test
    void formatsAsTheJdkFormatterDoes() {
        long[] fixed = {
            0,
            1,
            59,
            60,
            86_399,
            86_400,
            784_111_777L,
            951_782_400L /* 2000-02-29 */,
            -1,
            -86_401,
            253_402_300_799L /* 9999-12-31T23:59:59 */,
            -62_135_596_800L /* 0001-01-01 */
        };
        for (long s : fixed) {
            assertEquals(JDK.format(Instant.ofEpochSecond(s)), DateCache.format(s), "second " + s);
        }
        SplittableRandom random = new SplittableRandom(11);
        for (int i = 0; i < 20_000; i++) {
            long s = random.nextLong(-62_135_596_800L, 253_402_300_800L);
            assertEquals(JDK.format(Instant.ofEpochSecond(s)), DateCache.format(s), "second " + s);
        }
        assertEquals("Sun, 06 Nov 1994 08:49:37 GMT", DateCache.format(784_111_777L));
    }

    @Test
    void dateLineIsNowAndParsesBack() {
        long before = System.currentTimeMillis() / 1000;
        String line = new String(DateCache.dateLine(), StandardCharsets.ISO_8859_1);
        long after = System.currentTimeMillis() / 1000;
        assertEquals(true, line.startsWith("Date: ") && line.endsWith(" GMT\r\n"), line);
        long parsed = DateCache.parse(line.substring(6, line.length() - 2));
        assertEquals(true, parsed >= before && parsed <= after, line + " vs " + before + ".." + after);
        assertEquals(784_111_777L, DateCache.parse("Sun, 06 Nov 1994 08:49:37 GMT"));
    }
}
