package dev.spindle.sync;

import static dev.spindle.Spindle.sleep;
import static dev.spindle.Spindle.spawn;
import static dev.spindle.Spindle.withTimeout;
import static dev.spindle.test.TestLoop.runTest;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.loop.Loop;
import dev.spindle.task.Cancelled;
import dev.spindle.task.Task;
import dev.spindle.test.TestLoop;
import dev.spindle.time.TimedOut;
import dev.spindle.time.TimeoutScope;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class LoopSemaphoreTest {
    private final List<String> events = new ArrayList<>();

    private Task<Void> holder(LoopSemaphore s, String name) {
        return spawn(() -> {
            try (var _ = s.acquire()) {
                events.add(name);
            }
        });
    }

    @Test
    void aNegativeCountIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> new LoopSemaphore(-1));
    }

    @Test
    void atMostThePermitCountOfCoroutinesPassAtOnce() {
        int[] inside = {0};
        int[] maxInside = {0};
        int[] done = {0};
        LoopSemaphore s = new LoopSemaphore(3);
        runTest(() -> {
            List<Task<Void>> tasks = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                tasks.add(spawn(() -> {
                    try (var _ = s.acquire()) {
                        inside[0]++;
                        maxInside[0] = Math.max(maxInside[0], inside[0]);
                        sleep(Duration.ZERO);
                        sleep(Duration.ZERO);
                        inside[0]--;
                        done[0]++;
                    }
                }));
            }
            for (Task<Void> t : tasks) {
                t.await();
            }
        });
        assertEquals(50, done[0]);
        assertEquals(3, maxInside[0]);
        assertEquals(3, s.availablePermits());
        assertEquals(0, s.waiters());
    }

    @Test
    void waitersGetPermitsInArrivalOrderAndNewcomersCannotTakeThemFirst() {
        runTest(() -> {
            LoopSemaphore s = new LoopSemaphore(0);
            assertTrue(s.locked());
            List<Task<Void>> ws = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                ws.add(holder(s, "w" + i));
            }
            sleep(Duration.ZERO);
            assertEquals(4, s.waiters());
            s.release(); // handed to w0
            assertEquals(0, s.availablePermits());
            assertFalse(s.tryAcquire());
            ws.add(holder(s, "newcomer"));
            for (Task<Void> w : ws) {
                w.await(); // each one's release hands the permit to the next
            }
            assertEquals(1, s.availablePermits());
            assertFalse(s.locked());
        });
        assertEquals(List.of("w0", "w1", "w2", "w3", "newcomer"), events);
    }

    @Test
    void tryAcquireTakesAFreePermitWithoutWaiting() {
        runTest(() -> {
            LoopSemaphore s = new LoopSemaphore(2);
            assertTrue(s.tryAcquire());
            assertTrue(s.tryAcquire());
            assertFalse(s.tryAcquire());
            assertTrue(s.locked());
            s.release();
            assertEquals(1, s.availablePermits());
            Loop.current().callSoon(() -> {
                if (s.tryAcquire()) { // works from a callback too
                    events.add("callback took a permit");
                }
            });
            sleep(Duration.ZERO);
            assertEquals(0, s.availablePermits());
        });
        assertEquals(List.of("callback took a permit"), events);
    }

    @Test
    void aPlainSemaphoreMayBeReleasedBeyondItsInitialCount() {
        runTest(() -> {
            LoopSemaphore s = new LoopSemaphore(1);
            s.release(); // as in asyncio: only the bounded kind refuses
            assertEquals(2, s.availablePermits());
        });
    }

    // (a)
    @Test
    void aWaiterCancelledWhileParkedTakesNoPermit() {
        runTest(() -> {
            LoopSemaphore s = new LoopSemaphore(0);
            Task<Void> w0 = holder(s, "w0");
            Task<Void> w1 = holder(s, "w1");
            sleep(Duration.ZERO);
            w0.cancel();
            assertThrows(Cancelled.class, w0::await);
            assertEquals(1, s.waiters());
            s.release();
            w1.await();
            assertEquals(1, s.availablePermits());
            assertEquals(0, s.waiters());
        });
        assertEquals(List.of("w1"), events);
    }

    // (b)
    @Test
    void aWaiterCancelledAfterAPermitWasHandedToItPassesThePermitOn() {
        runTest(() -> {
            LoopSemaphore s = new LoopSemaphore(0);
            Task<Void> w0 = holder(s, "w0");
            Task<Void> w1 = holder(s, "w1");
            sleep(Duration.ZERO);
            Loop.current().callSoon(() -> {
                s.release(); // hands the permit to w0...
                w0.cancel(); // ...which is cancelled before it runs
            });
            assertThrows(Cancelled.class, w0::await);
            w1.await();
            assertEquals(1, s.availablePermits());
            assertEquals(0, s.waiters());
        });
        assertEquals(List.of("w1"), events);
    }

    @Test
    void theLastWaiterCancelledAfterTheHandoffFreesThePermit() {
        runTest(() -> {
            LoopSemaphore s = new LoopSemaphore(0);
            Task<Void> w = holder(s, "w");
            sleep(Duration.ZERO);
            s.release();
            w.cancel();
            assertThrows(Cancelled.class, w::await);
            assertEquals(1, s.availablePermits());
        });
        assertEquals(List.of(), events);
    }

    // (c)
    @Test
    void aTimedOutAcquireTakesNoPermit() {
        runTest(() -> {
            LoopSemaphore s = new LoopSemaphore(1);
            s.acquire();
            assertThrows(
                    TimedOut.class,
                    () -> withTimeout(Duration.ofMillis(1), () -> {
                        s.acquire();
                        events.add("acquired");
                    }));
            assertEquals(0, s.waiters());
            s.release();
            assertEquals(1, s.availablePermits());
        });
        assertEquals(List.of(), events);
    }

    // (c) with the deadline in the same pass as the handoff
    @Test
    void aTimeoutExpiringAsAPermitIsHandedOverPassesItOn() {
        TestLoop.manual().run(() -> {
            Loop loop = Loop.current();
            LoopSemaphore s = new LoopSemaphore(0);
            long deadline = loop.nanoTime() + Duration.ofSeconds(1).toNanos();
            loop.callAt(deadline, s::release); // scheduled before the deadline's timer: runs first
            Task<Void> timed = spawn(() -> TimeoutScope.at(deadline).run(() -> {
                s.acquire();
                events.add("timed acquired");
                return null;
            }));
            Task<Void> next = spawn(() -> {
                sleep(Duration.ZERO);
                try (var _ = s.acquire()) {
                    events.add("next acquired");
                }
            });
            sleep(Duration.ZERO);
            sleep(Duration.ZERO);
            assertEquals(2, s.waiters());
            TestLoop.current().advance(Duration.ofSeconds(1));
            assertThrows(TimedOut.class, timed::await);
            next.await();
            assertEquals(1, s.availablePermits());
            assertEquals(0, s.waiters());
            return null;
        });
        assertEquals(List.of("next acquired"), events);
    }

    @Test
    void aSemaphoreIsConfinedToItsLoopAndAcquireNeedsACoroutine() {
        LoopSemaphore s = new LoopSemaphore(1);
        assertThrows(IllegalStateException.class, s::release);
        runTest(() -> {
            s.tryAcquire();
            AtomicReference<Throwable> error = new AtomicReference<>();
            Loop.current().callSoon(() -> {
                try {
                    s.acquire();
                } catch (Throwable e) {
                    error.set(e);
                }
            });
            sleep(Duration.ZERO);
            assertTrue(
                    error.get().getMessage().contains("coroutine"), error.get().getMessage());
            Thread t = Thread.ofPlatform().start(() -> {
                try {
                    s.release();
                } catch (Throwable e) {
                    error.set(e);
                }
            });
            t.join();
            assertTrue(
                    error.get().getMessage().contains("confined"), error.get().getMessage());
            assertEquals(0, s.availablePermits());
            s.release();
        });
        IllegalStateException e = assertThrows(
                IllegalStateException.class,
                () -> runTest(() -> {
                    s.acquire();
                }));
        assertTrue(e.getMessage().contains("belongs to"), e.getMessage());
    }
}
