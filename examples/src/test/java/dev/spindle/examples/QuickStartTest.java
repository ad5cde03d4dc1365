package dev.spindle.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class QuickStartTest {
    @Test
    void theCoroutineRunsOnlyWhenRunIsCalled() {
        Output out = new Output();
        QuickStart.quickStart(out.stream);
        assertEquals(
                List.of(
                        "coroutine object created; func() has not run yet",
                        "I was executed! (我被执行了！！！)",
                        "run() returned; the loop is closed"),
                out.lines());
    }
}
