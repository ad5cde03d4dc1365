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

    /**
     * Holds the loop without parking until the watchdog has reported something, at least {@code millis} and at most
     * 20 s: on a loaded machine the sampler thread may be scheduled late, and a fixed spin would then end first.
     */
    static void spinUntilReported(List<Stall> stalls, long millis) {
        long start = System.nanoTime();
        long min = start + millis * 1_000_000;
        long max = start + 20_000_000_000L;
        while (System.nanoTime() < max && (System.nanoTime() < min || stalls.isEmpty())) {
            Thread.onSpinWait();
        }
    }

    /** Set by the pinned test's stall consumer: the pinned initialiser blocks until the watchdog has reported. */
    static volatile boolean pinnedSeen;

    /** Its initialiser blocks: a coroutine running it blocks pinned to the loop's thread (JDK 25 still pins here). */
    static final class SlowInit {
        static {
            long start = System.nanoTime();
            try {
                // at least 400 ms, then until the watchdog has reported (at most 20 s: a loaded machine samples late)
                while (System.nanoTime() - start < 400_000_000L
                        || (!pinnedSeen && System.nanoTime() - start < 20_000_000_000L)) {
                    Thread.sleep(20);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        static void touch() {}
    }

    @Test
    void reportsABlockingStepOnceWithItsStackAndNotTheFastOnes() {
        List<Stall> stalls = new CopyOnWriteArrayList<>();
        String[] loopName = new String[1];
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
                            spin(1200); // well past the threshold, short of the ongoing report (1.5 s): a loaded
                            // machine samples late
                            return null;
                        })
                        .await();
                Spindle.sleep(Duration.ofMillis(100)); // the watchdog sees the hog's step end
                return null;
            });
        }
        List<Stall> mine =
                stalls.stream().filter(s -> s.loop().equals(loopName[0])).toList();
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
    void reportsACoroutineThatPinnedItsCarrier() {
        List<Stall> stalls = new CopyOnWriteArrayList<>();
        String[] loopName = new String[1];
        try (StallWatchdog w = StallWatchdog.start(THRESHOLD, stall -> {
            stalls.add(stall);
            pinnedSeen = true;
        })) {
            Spindle.run(() -> {
                loopName[0] = Loop.current().name();
                Spindle.spawn("pinner", SlowInit::touch).await();
                Spindle.sleep(Duration.ofMillis(100));
                return null;
            });
        }
        List<Stall> mine =
                stalls.stream().filter(x -> x.loop().equals(loopName[0])).toList();
        assertEquals(1, mine.size(), "" + mine);
        Stall s = mine.get(0);
        assertTrue(s.step().startsWith("Task 'pinner'"), s.step());
        assertTrue(s.pinned(), s.toText());
        assertTrue(s.stack().stream().anyMatch(f -> f.getMethodName().equals("<clinit>")), s.toText());
    }

    @Test
    void reportsASlowCallbackAsACallback() {
        List<Stall> stalls = new CopyOnWriteArrayList<>();
        try (StallWatchdog w = StallWatchdog.start(THRESHOLD, stalls::add);
                Loop loop = Loop.create()) {
            loop.callSoon(() -> spinUntilReported(stalls, 500));
            loop.callLater(Duration.ofMillis(600), loop::stop);
            loop.runForever();
            List<Stall> mine =
                    stalls.stream().filter(x -> x.loop().equals(loop.name())).toList();
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
