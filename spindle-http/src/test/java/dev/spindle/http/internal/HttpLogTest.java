package dev.spindle.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The access log's milliseconds read as {@code String.format("%.3f")} wrote them. */
class HttpLogTest {
    @Test
    void millisAsFormatWrites() {
        long[] fixed = {
            0, 1, 499, 500, 501, 999, 1_000, 9_999, 10_000, 999_499, 999_500, 1_000_000, 217_789_123, 12_345_678_901L
        };
        for (long n : fixed) {
            assertEquals(String.format(Locale.ROOT, "%.3f", n / 1e6), HttpLog.millis(n), "nanos " + n);
        }
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < 10_000; i++) {
            long n = random.nextLong(0, 100_000_000_000L);
            assertEquals(String.format(Locale.ROOT, "%.3f", n / 1e6), HttpLog.millis(n), "nanos " + n);
        }
    }
}
