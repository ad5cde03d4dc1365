package dev.spindle.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.Spindle;
import dev.spindle.loop.Loop;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class StallWatchdogTest {
    private static final Duration THRESHOLD = Duration.ofMillis(150);

    /** Holds the loop without parking for {@code millis}: what a CPU-bound step does. */
    static void spin(long millis) {
        long end = System.nanoTime() + millis * 1_000_000;
        while (System.nanoTime() < end) {
            Thread.onSpinWait();
        }
    }

    /** Its initialiser blocks: a coroutine running it blocks pinned to the loop's thread (JDK 25 still pins here). */
    static final class SlowInit {
        static {
            try {
                Thread.sleep(800);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        static void touch() {}
    }

    /**
     * The stalls of {@code loop}, once the first has arrived (the watchdog reports from its own thread, which a busy
     * machine may delay) and a little more time has passed (to see that nothing is reported twice).
     */
    static List<Stall> stallsOf(List<Stall> stalls, String loop) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (stalls.stream().noneMatch(s -> s.loop().equals(loop)) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        Thread.sleep(300);
        return stalls.stream().filter(s -> s.loop().equals(loop)).toList();
    }

    @Test
    void reportsABlockingStepOnceWithItsStackAndNotTheFastOnes() throws InterruptedException {
        List<Stall> stalls = new CopyOnWriteArrayList<>();
        String[] loopName = new String[1];
        List<Stall> mine;
        try (StallWatchdog w = StallWatchdog.start(THRESHOLD, stalls::add)) {
            Spindle.run(() -> {
                loopName[0] = Loop.current().name();
                Spindle.spawn("fast", () -> {
                    for (int i = 0; i < 100; i++) {
                        Spindle.sleep(Duration.ofMillis(1)); // 100 short steps
                    }
                    return null;
                });
                Spindle.spawn("hog", () -> {
                            Spindle.sleep(Duration.ofMillis(20));
                            spin(800);
                            return null;
                        })
                        .await();
                Spindle.sleep(Duration.ofMillis(100)); // the watchdog sees the hog's step end
                return null;
            });
            mine = stallsOf(stalls, loopName[0]);
        }
        assertEquals(1, mine.size(), "" + mine);
        Stall s = mine.get(0);
        assertTrue(s.step().startsWith("Task 'hog'"), s.step());
        assertTrue(s.taskId() > 0);
        assertTrue(s.ended());
        assertFalse(s.pinned());
        assertTrue(s.held().compareTo(THRESHOLD) >= 0);
        assertTrue(s.stack().stream().anyMatch(f -> f.getMethodName().equals("spin")), s.toText());
        assertTrue(s.toText().contains("held " + loopName[0]), s.toText());
    }

    @Test
    void reportsACoroutineThatPinnedItsCarrier() throws InterruptedException {
        List<Stall> stalls = new CopyOnWriteArrayList<>();
        String[] loopName = new String[1];
        List<Stall> mine;
        try (StallWatchdog w = StallWatchdog.start(THRESHOLD, stalls::add)) {
            Spindle.run(() -> {
                loopName[0] = Loop.current().name();
                Spindle.spawn("pinner", SlowInit::touch).await();
                Spindle.sleep(Duration.ofMillis(100));
                return null;
            });
            mine = stallsOf(stalls, loopName[0]);
        }
        assertEquals(1, mine.size(), "" + mine);
        Stall s = mine.get(0);
        assertTrue(s.step().startsWith("Task 'pinner'"), s.step());
        assertTrue(s.pinned(), s.toText());
        assertTrue(s.stack().stream().anyMatch(f -> f.getMethodName().equals("<clinit>")), s.toText());
    }

    @Test
    void reportsASlowCallbackAsACallback() throws InterruptedException {
        List<Stall> stalls = new CopyOnWriteArrayList<>();
        try (StallWatchdog w = StallWatchdog.start(THRESHOLD, stalls::add);
                Loop loop = Loop.create()) {
            loop.callSoon(() -> spin(800));
            loop.callLater(Duration.ofMillis(900), loop::stop);
            loop.runForever();
            List<Stall> mine = stallsOf(stalls, loop.name());
            assertEquals(1, mine.size(), "" + mine);
            assertEquals(0, mine.get(0).taskId());
            assertTrue(mine.get(0).step().startsWith("callback"), mine.get(0).step());
        }
    }

    @Test
    void aClosedWatchdogReportsNothingAndThresholdsMustBePositive() {
        List<Stall> stalls = new CopyOnWriteArrayList<>();
        StallWatchdog w = StallWatchdog.start(THRESHOLD, stalls::add);
        assertEquals(THRESHOLD, w.threshold());
        assertEquals(Duration.ofSeconds(1).plus(Duration.ofMillis(500)), w.ongoingReportAfter());
        w.close();
        Spindle.run(() -> {
            spin(400);
            return null;
        });
        assertTrue(stalls.isEmpty(), "" + stalls);
        assertThrows(IllegalArgumentException.class, () -> StallWatchdog.start(Duration.ZERO, x -> {}));
    }
}
