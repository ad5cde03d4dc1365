package dev.spindle.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class WaitOnTaskListTest {
    @Test
    void allCompletedWithinTheTimeout() {
        Output out = new Output();
        WaitOnTaskList.Result r = WaitOnTaskList.waitOnList(out.stream, Duration.ofMillis(20), Duration.ofSeconds(30));
        assertEquals(List.of("n1", "n2"), r.done());
        assertEquals(List.of(), r.pending());
        assertEquals(List.of("返回值", "返回值"), r.gathered());
        List<String> expected = List.of(
                "func()......",
                "start......",
                "start......",
                "end",
                "end",
                "n1 done: 返回值",
                "n2 done: 返回值",
                "start......",
                "start......",
                "end",
                "end",
                "gather returned [返回值, 返回值]");
        assertEquals(expected, r.events());
        assertEquals(expected, out.timelineLines());
    }

    @Test
    void aTimeoutLeavesTasksPendingAndTheExampleCancelsThem() {
        Output out = new Output();
        // a zero timeout: waitTasks returns on the loop's next turn, long before the tasks' sleeps end
        WaitOnTaskList.Result r = WaitOnTaskList.waitOnList(out.stream, Duration.ofMillis(300), Duration.ZERO);
        assertEquals(List.of(), r.done());
        assertEquals(List.of("n1", "n2"), r.pending());
        assertEquals(List.of("返回值", "返回值"), r.gathered());
        // a cancelled task never reaches its "end"
        List<String> expected = List.of(
                "func()......",
                "start......",
                "start......",
                "n1 still pending after 0.0 s: cancelling it",
                "n2 still pending after 0.0 s: cancelling it",
                "start......",
                "start......",
                "end",
                "end",
                "gather returned [返回值, 返回值]");
        assertEquals(expected, r.events());
        assertEquals(expected, out.timelineLines());
    }
}
