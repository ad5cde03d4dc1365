package dev.spindle;

import static dev.spindle.Spindle.run;
import static dev.spindle.Spindle.sleep;
import static dev.spindle.Spindle.spawn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.loop.Loop;
import dev.spindle.task.Task;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class RunTest {
    @Test
    void runReturnsMainsResultAndClosesTheLoop() {
        Loop[] loop = new Loop[1];
        assertEquals("hi", run(() -> {
            loop[0] = Loop.current();
            return "hi";
        }));
        assertTrue(loop[0].isClosed());
    }

    @Test
    void runRethrowsMainsCheckedExceptionUnchanged() {
        TimeoutException e = new TimeoutException("checked");
        Exception thrown = assertThrows(
                Exception.class,
                () -> run(() -> {
                    throw e;
                }));
        assertSame(e, thrown);
    }

    @Test
    void runCancelsTasksLeftRunningAndWaitsForTheirCleanup() {
        List<String> events = new ArrayList<>();
        Task<?>[] leftover = new Task<?>[1];
        run(() -> {
            leftover[0] = spawn(() -> {
                try {
                    sleep(Duration.ofHours(1));
                } finally {
                    sleep(Duration.ofMillis(1)); // cleanup may itself wait
                    events.add("cleaned up");
                }
            });
            sleep(Duration.ZERO);
            events.add("main done");
        });
        assertEquals(List.of("main done", "cleaned up"), events);
        assertTrue(leftover[0].isCancelled());
    }

    @Test
    void runInsideARunningLoopIsRefused() {
        run(() -> {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> run(() -> 1));
            assertTrue(e.getMessage().contains("running loop"), e.getMessage());
        });
    }

    @Test
    void runFromAVirtualThreadUsesAPlatformThreadForTheLoop() throws Exception {
        Object[] result = new Object[1];
        Thread.ofVirtual()
                .start(() -> result[0] = run(() -> Thread.currentThread().isVirtual()))
                .join();
        assertEquals(true, result[0]);
    }

    @Test
    void spawnOutsideALoopFailsClearly() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> spawn(() -> 1));
        assertTrue(e.getMessage().contains("no running Spindle loop"), e.getMessage());
    }

    @Test
    void gatherOfCoroutinesSpawnsThemAndKeepsArgumentOrder() {
        List<String> r = run(() -> Spindle.gather(
                () -> {
                    sleep(Duration.ofMillis(5));
                    return "slow";
                },
                () -> "fast"));
        assertEquals(List.of("slow", "fast"), r);
    }
}
