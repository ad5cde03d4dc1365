package dev.spindle.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class TwoTasksOverlapTest {
    @Test
    void bothTasksStartBeforeEitherEnds() {
        Output out = new Output();
        List<String> events = TwoTasksOverlap.twoTasks(out.stream, Duration.ofMillis(20));
        List<String> expected =
                List.of("func()......", "start......", "start......", "end", "end", "ret1 = 返回值, ret2 = 返回值");
        assertEquals(expected, events);
        assertEquals(expected, out.timelineLines());
    }
}
