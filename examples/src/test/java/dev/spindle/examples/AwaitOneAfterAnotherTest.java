package dev.spindle.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class AwaitOneAfterAnotherTest {
    @Test
    void theSecondCallStartsOnlyAfterTheFirstEnded() {
        Output out = new Output();
        List<String> events = AwaitOneAfterAnother.awaitTwice(out.stream, Duration.ofMillis(20));
        List<String> expected = List.of(
                "func()......", "start......", "end", "response1 = 返回值", "start......", "end", "response2 = 返回值");
        assertEquals(expected, events);
        assertEquals(expected, out.timelineLines());
    }
}
