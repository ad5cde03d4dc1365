package dev.spindle.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class AsyncIterationTest {
    @Test
    void linesArriveOneByOneWhileOtherTasksRunAndAnEarlyBreakClosesTheReader() {
        Output out = new Output();
        List<String> events = AsyncIteration.asyncFor(
                out.stream, Duration.ofMillis(400)); // real time: the order rests on half a delay
        List<String> expected = List.of(
                "-- 1. async for over every line, while a machine washes",
                "got line 1",
                "got line 2",
                "machine: done washing", // at 2.5 delays: between the second and third line
                "got line 3",
                "reader: closed",
                "-- 2. break after the first line: try-with-resources closes the reader at once",
                "got line 1, enough",
                "reader: closed");
        assertEquals(expected, events);
        assertEquals(expected, out.timelineLines());
    }
}
