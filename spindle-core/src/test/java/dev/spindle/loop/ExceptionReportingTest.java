package dev.spindle.loop;

import static dev.spindle.Spindle.sleep;
import static dev.spindle.Spindle.spawn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.task.Task;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Failures nobody retrieved, and coroutines that hold the loop, reach the exception handler. */
class ExceptionReportingTest {

    @Test
    void aFailureNobodyRetrievedIsReportedWhenTheLoopCloses() {
        List<ExceptionContext> reported = new CopyOnWriteArrayList<>();
        Loop loop = Loop.create();
        loop.setExceptionHandler((l, ctx) -> reported.add(ctx));
        Task<?>[] keep = new Task<?>[2];
        loop.runUntilComplete(() -> {
            keep[0] = spawn("forgotten", () -> {
                throw new IllegalStateException("nobody looks at me");
            });
            keep[1] = spawn("looked-at", () -> {
                throw new IllegalStateException("retrieved");
            });
            sleep(Duration.ofMillis(1));
            keep[1].exception();
            return null;
        });
        assertEquals(List.of(), reported, "nothing is reported while the loop may still retrieve it");
        loop.close();
        assertEquals(1, reported.size(), String.valueOf(reported));
        assertEquals("nobody looks at me", reported.get(0).exception().getMessage());
        assertTrue(
                reported.get(0).message().contains("forgotten"), reported.get(0).message());
        assertTrue(
                reported.get(0).message().contains("never retrieved"),
                reported.get(0).message());
    }

    @Test
    void aFailureIsReportedWhenItsTaskIsGarbageCollected() throws Exception {
        List<ExceptionContext> reported = new CopyOnWriteArrayList<>();
        try (Loop loop = Loop.create()) {
            loop.setExceptionHandler((l, ctx) -> reported.add(ctx));
            loop.runUntilComplete(() -> {
                spawn("dropped", () -> {
                    throw new IllegalStateException("garbage");
                });
                sleep(Duration.ofMillis(1)); // it fails; nobody keeps the task
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (reported.isEmpty() && System.nanoTime() < deadline) {
                    System.gc();
                    sleep(Duration.ofMillis(20));
                }
                return null;
            });
            assertEquals(1, reported.size(), "reported once, before the loop closed");
            assertEquals("garbage", reported.get(0).exception().getMessage());
        }
    }

    @Test
    void defaultHandlerLogsWithoutThrowing() {
        try (Loop loop = Loop.create()) {
            loop.callExceptionHandler(new ExceptionContext("just a test", new RuntimeException("x"), null));
            loop.setExceptionHandler((l, ctx) -> {
                throw new IllegalStateException("handler bug");
            });
            loop.callExceptionHandler(new ExceptionContext("swallowed and logged", null, null));
        }
    }

    @Test
    void debugModeReportsACoroutineThatHoldsTheLoopWithItsStack() {
        List<ExceptionContext> reported = new CopyOnWriteArrayList<>();
        try (Loop loop = Loop.create()) {
            loop.setDebug(true);
            loop.setSlowCallbackDuration(Duration.ofMillis(50));
            loop.setExceptionHandler((l, ctx) -> reported.add(ctx));
            loop.runUntilComplete(() -> {
                spawn("hog", ExceptionReportingTest::holdTheCarrier).await();
                return null;
            });
        }
        ExceptionContext slow = reported.stream()
                .filter(c -> c.message().contains("hog"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no slow-step report in " + reported));
        assertTrue(slow.message().contains("took"), slow.message());
        String stack = Arrays.toString(slow.exception().getStackTrace());
        assertTrue(stack.contains("holdTheCarrier"), "the stack shows where the step was: " + stack);
    }

    @Test
    void debugModeStaysQuietForQuickSteps() {
        List<ExceptionContext> reported = new CopyOnWriteArrayList<>();
        try (Loop loop = Loop.create()) {
            loop.setDebug(true);
            loop.setExceptionHandler((l, ctx) -> reported.add(ctx));
            loop.runUntilComplete(() -> {
                for (int i = 0; i < 100; i++) {
                    spawn(() -> sleep(Duration.ZERO)).await();
                }
                return null;
            });
        }
        assertEquals(List.of(), reported);
    }

    /** Busy work that never yields: it holds the loop's thread, which is what debug mode should catch. */
    static Void holdTheCarrier() {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300);
        long x = 0;
        while (System.nanoTime() < end) {
            x += System.identityHashCode(x);
        }
        if (x == 42) {
            System.out.println();
        }
        return null;
    }
}
