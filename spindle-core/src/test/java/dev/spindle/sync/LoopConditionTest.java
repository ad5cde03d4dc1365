package dev.spindle.sync;

import static dev.spindle.Spindle.run;
import static dev.spindle.Spindle.sleep;
import static dev.spindle.Spindle.spawn;
import static dev.spindle.Spindle.withTimeout;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.loop.Loop;
import dev.spindle.task.Cancelled;
import dev.spindle.task.Task;
import dev.spindle.time.TimedOut;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class LoopConditionTest {
    private final List<String> events = new ArrayList<>();

    /** A coroutine that waits once on {@code c} and records that it woke, holding the lock. */
    private Task<Void> waiter(LoopCondition c, String name) {
        return spawn(() -> {
            try (var _ = c.acquire()) {
                try {
                    c.await();
                    events.add(name + (c.locked() ? " woke holding the lock" : " woke WITHOUT the lock"));
                } catch (Cancelled e) {
                    events.add(name + (c.locked() ? " cancelled holding the lock" : " cancelled WITHOUT the lock"));
                    throw e;
                }
            }
        });
    }

    @Test
    void awaitAndSignalRequireTheLock() {
        run(() -> {
            LoopCondition c = new LoopCondition();
            assertThrows(IllegalStateException.class, c::await);
            assertThrows(IllegalStateException.class, () -> c.awaitUntil(() -> true));
            assertThrows(IllegalStateException.class, c::signal);
            assertThrows(IllegalStateException.class, () -> c.signal(3));
            IllegalStateException e = assertThrows(IllegalStateException.class, c::signalAll);
            assertTrue(e.getMessage().contains("lock"), e.getMessage());
            assertFalse(c.locked());
        });
    }

    @Test
    void signalWakesExactlyNWaitersInArrivalOrder() {
        run(() -> {
            LoopCondition c = new LoopCondition();
            List<Task<Void>> ws = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                ws.add(waiter(c, "w" + i));
            }
            sleep(Duration.ZERO);
            assertEquals(5, c.waiters());
            assertFalse(c.locked()); // each waiter released the lock while it waits
            try (var _ = c.acquire()) {
                c.signal(2);
                assertEquals(3, c.waiters());
                c.signal(0);
                c.signal(-1);
                assertEquals(3, c.waiters());
            }
            ws.get(0).await();
            ws.get(1).await();
            sleep(Duration.ZERO);
            assertEquals(List.of("w0 woke holding the lock", "w1 woke holding the lock"), events);
            try (var _ = c.acquire()) {
                c.signal();
                assertEquals(2, c.waiters());
                c.signalAll();
                assertEquals(0, c.waiters());
                c.signal(); // nobody waits: nothing happens
            }
            for (Task<Void> w : ws) {
                w.await();
            }
            assertFalse(c.locked());
        });
        assertEquals(
                List.of(
                        "w0 woke holding the lock",
                        "w1 woke holding the lock",
                        "w2 woke holding the lock",
                        "w3 woke holding the lock",
                        "w4 woke holding the lock"),
                events);
    }

    @Test
    void aSignalledWaiterReturnsOnlyOnceTheSignallerReleasesTheLock() {
        run(() -> {
            LoopCondition c = new LoopCondition();
            Task<Void> w = waiter(c, "w");
            sleep(Duration.ZERO);
            try (var _ = c.acquire()) {
                c.signal();
                sleep(Duration.ZERO);
                sleep(Duration.ZERO);
                assertFalse(w.isDone()); // it waits for the lock we hold
                events.add("signaller releases");
            }
            w.await();
        });
        assertEquals(List.of("signaller releases", "w woke holding the lock"), events);
    }

    @Test
    void awaitUntilWaitsForThePredicateAcrossSignals() {
        Deque<String> items = new ArrayDeque<>();
        int[] checks = {0};
        run(() -> {
            LoopCondition c = new LoopCondition();
            Task<String> consumer = spawn(() -> {
                try (var _ = c.acquire()) {
                    c.awaitUntil(() -> {
                        checks[0]++;
                        return !items.isEmpty();
                    });
                    return items.removeFirst();
                }
            });
            sleep(Duration.ZERO);
            try (var _ = c.acquire()) {
                c.signal(); // a signal with nothing to take: the consumer checks and waits again
            }
            sleep(Duration.ZERO);
            sleep(Duration.ZERO);
            assertFalse(consumer.isDone());
            assertEquals(1, c.waiters());
            try (var _ = c.acquire()) {
                items.add("item");
                c.signal();
            }
            assertEquals("item", consumer.await());
            try (var _ = c.acquire()) {
                c.awaitUntil(() -> true); // holds already: no wait
            }
        });
        assertEquals(3, checks[0]);
    }

    @Test
    void conditionsMayShareOneLock() {
        run(() -> {
            LoopLock lock = new LoopLock();
            LoopCondition notEmpty = new LoopCondition(lock);
            LoopCondition notFull = new LoopCondition(lock);
            Task<Void> w = waiter(notEmpty, "consumer");
            sleep(Duration.ZERO);
            try (var _ = lock.acquire()) {
                assertTrue(notFull.locked());
                notFull.signalAll(); // the lock is held: allowed, but wakes nobody on the other condition
                assertEquals(1, notEmpty.waiters());
                notEmpty.signal();
            }
            w.await();
            assertFalse(lock.locked());
        });
        assertEquals(List.of("consumer woke holding the lock"), events);
    }

    // (a): cancelled while waiting; it re-acquires the lock, in turn, before it throws
    @Test
    void aWaiterCancelledWhileWaitingThrowsOnlyOnceItHoldsTheLockAgain() {
        run(() -> {
            LoopCondition c = new LoopCondition();
            Task<Void> w = waiter(c, "w");
            sleep(Duration.ZERO);
            try (var _ = c.acquire()) {
                w.cancel();
                sleep(Duration.ZERO);
                sleep(Duration.ZERO);
                assertFalse(w.isDone()); // cancelled, but waiting for the lock we hold
                assertEquals(0, c.waiters());
                events.add("holder releases");
            }
            assertThrows(Cancelled.class, w::await);
            assertFalse(c.locked());
            assertEquals(0, c.waiters());
        });
        assertEquals(List.of("holder releases", "w cancelled holding the lock"), events);
    }

    // (b): signalled and cancelled in the same pass; the signal goes to the next waiter
    @Test
    void aWaiterCancelledAfterItWasSignalledPassesTheSignalOn() {
        run(() -> {
            LoopCondition c = new LoopCondition();
            Task<Void> w0 = waiter(c, "w0");
            Task<Void> w1 = waiter(c, "w1");
            Task<Void> w2 = waiter(c, "w2");
            sleep(Duration.ZERO);
            try (var _ = c.acquire()) {
                c.signal(1); // w0...
                w0.cancel(); // ...cancelled before it ran: w1 gets the signal instead
            }
            assertThrows(Cancelled.class, w0::await);
            w1.await();
            assertEquals(1, c.waiters());
            assertFalse(w2.isDone());
            try (var _ = c.acquire()) {
                c.signalAll();
            }
            w2.await();
            assertFalse(c.locked());
        });
        assertEquals(
                List.of("w0 cancelled holding the lock", "w1 woke holding the lock", "w2 woke holding the lock"),
                events);
    }

    // (b'): signalled, then cancelled while it waits for the lock: it still gets the lock, and passes the signal on
    @Test
    void aWaiterCancelledWhileReacquiringTheLockPassesTheSignalOn() {
        run(() -> {
            LoopLock lock = new LoopLock();
            LoopCondition c = new LoopCondition(lock);
            Task<Void> w0 = waiter(c, "w0");
            Task<Void> w1 = waiter(c, "w1");
            sleep(Duration.ZERO);
            try (var _ = c.acquire()) {
                c.signal();
                sleep(Duration.ZERO); // w0 runs and queues for the lock, deaf to cancellation
                assertEquals(1, lock.waiters());
                w0.cancel();
                sleep(Duration.ZERO);
                sleep(Duration.ZERO);
                assertFalse(w0.isDone());
            }
            assertThrows(Cancelled.class, w0::await);
            w1.await();
            assertFalse(c.locked());
            assertEquals(0, c.waiters());
        });
        assertEquals(List.of("w0 cancelled holding the lock", "w1 woke holding the lock"), events);
    }

    // (c)
    @Test
    void aTimedOutAwaitReturnsTheLockAndLeavesNoWaiter() {
        run(() -> {
            LoopCondition c = new LoopCondition();
            boolean[] heldAtTimeout = {false};
            assertThrows(
                    TimedOut.class,
                    () -> withTimeout(Duration.ofMillis(1), () -> {
                        try (var _ = c.acquire()) {
                            try {
                                c.await();
                            } finally {
                                heldAtTimeout[0] = c.locked();
                            }
                        }
                    }));
            assertTrue(heldAtTimeout[0]);
            assertFalse(c.locked());
            assertEquals(0, c.waiters());
            Task<Void> w = waiter(c, "after the timeout");
            sleep(Duration.ZERO);
            try (var _ = c.acquire()) {
                c.signal();
            }
            w.await();
        });
        assertEquals(List.of("after the timeout woke holding the lock"), events);
    }

    @Test
    void aTimedOutAwaitUntilReturnsTheLock() {
        run(() -> {
            LoopCondition c = new LoopCondition();
            assertThrows(
                    TimedOut.class,
                    () -> withTimeout(Duration.ofMillis(1), () -> {
                        try (var _ = c.acquire()) {
                            c.awaitUntil(() -> false);
                        }
                    }));
            assertFalse(c.locked());
            assertEquals(0, c.waiters());
        });
    }

    @Test
    void signalMayBeCalledFromACallbackHoldingTheLock() {
        run(() -> {
            LoopCondition c = new LoopCondition();
            Task<Void> w = waiter(c, "w");
            sleep(Duration.ZERO);
            Loop.current().callSoon(() -> {
                if (c.tryAcquire()) {
                    c.signal();
                    c.release();
                }
            });
            w.await();
        });
        assertEquals(List.of("w woke holding the lock"), events);
    }

    @Test
    void aConditionIsConfinedToItsLoop() {
        LoopCondition c = new LoopCondition();
        run(() -> {
            try (var _ = c.acquire()) {
                c.signal();
            }
        });
        IllegalStateException e = assertThrows(
                IllegalStateException.class,
                () -> run(() -> {
                    c.acquire();
                }));
        assertTrue(e.getMessage().contains("belongs to"), e.getMessage());
        run(() -> {
            LoopCondition mine = new LoopCondition();
            mine.acquire();
            mine.signal();
            AtomicReference<Throwable> error = new AtomicReference<>();
            Thread t = Thread.ofPlatform().start(() -> {
                try {
                    mine.signalAll();
                } catch (Throwable x) {
                    error.set(x);
                }
            });
            t.join();
            assertTrue(error.get() instanceof IllegalStateException, String.valueOf(error.get()));
            mine.release();
        });
    }
}
