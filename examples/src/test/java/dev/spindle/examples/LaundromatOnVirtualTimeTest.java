package dev.spindle.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.spindle.test.SpindleTest;
import dev.spindle.test.TestLoop;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The laundromat at its real scale, minutes per wash, on virtual time: the test takes milliseconds, and the loop's
 * clock shows that one worker needed only as long as the longest wash, not the sum of them all.
 */
@SpindleTest
class LaundromatOnVirtualTimeTest {
    @Test
    void oneWorkerTakesAsLongAsTheLongestWashNotTheSum(TestLoop loop) {
        Laundromat.Result r = Laundromat.washAll(new Output().stream, Duration.ofMinutes(1));
        assertEquals(Duration.ofMinutes(10), loop.elapsed(), "the longest wash, 10 minutes, and not the 55 of the sum");
        assertEquals(List.of(6, 2, 8, 4, 10, 1, 7, 9, 3, 5), r.finishOrder());
    }
}
