package dev.spindle.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class AsyncContextManagerTest {
    @Test
    void exitRunsAfterTheBodyOnSuccessOnExceptionAndOnTimeout() {
        Output out = new Output();
        List<String> events = AsyncContextManager.asyncWith(out.stream, Duration.ofMillis(100));
        List<String> expected = List.of(
                "-- 1. the body ends normally",
                "enter: connecting...",
                "enter: connected",
                "body: querying...",
                "body: result = 666",
                "exit: closing...",
                "exit: closed",
                "-- 2. the body throws: exit runs before the catch sees the exception",
                "enter: connecting...",
                "enter: connected",
                "body: bad query",
                "exit: closing...",
                "exit: closed",
                "caught: query failed",
                "-- 3. a timeout cancels the query: exit still runs, and may still wait",
                "enter: connecting...",
                "enter: connected",
                "body: querying...",
                "exit: closing...",
                "exit: closed",
                "caught: TimedOut");
        assertEquals(expected, events);
        assertEquals(expected, out.timelineLines());
    }
}
