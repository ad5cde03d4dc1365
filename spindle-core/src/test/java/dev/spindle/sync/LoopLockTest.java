package dev.spindle.sync;

import static dev.spindle.Spindle.sleep;
import static dev.spindle.Spindle.spawn;
import static dev.spindle.Spindle.withTimeout;
import static dev.spindle.test.TestLoop.runTest;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
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

// A broken primitive tends to strand a waiter forever: fail instead of hanging the build.
@Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class LoopLockTest {
    private final List<String> events = new ArrayList<>();

    @Test
    void manyCoroutinesIncrementingUnderTheLockLoseNoUpdate() {
        int[] counter = {0};
        int[] inside = {0};
        int[] maxInside = {0};
        LoopLock lock = new LoopLock(); // made before any loop runs: binds on first use
        runTest(() -> {
            List<Task<Void>> tasks = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                tasks.add(spawn(() -> {
                    try (var _ = lock.acquire()) {
                        inside[0]++;
                        maxInside[0] = Math.max(maxInside[0], inside[0]);
                        int v = counter[0];
                        sleep(Duration.ZERO); // every other coroutine gets a turn here
                        counter[0] = v + 1;
                        inside[0]--;
                    }
                }));
            }
            for (Task<Void> t : tasks) {
                t.await();
            }
        });
        assertEquals(100, counter[0]);
        assertEquals(1, maxInside[0]);
        assertFalse(lock.locked());
        assertEquals(0, lock.waiters());
    }

    @Test
    void waitersGetTheLockInArrivalOrderAndNewcomersCannotBargeIn() {
        runTest(() -> {
            LoopLock lock = new LoopLock();
            lock.acquire();
            List<Task<Void>> tasks = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                String name = "w" + i;
                tasks.add(spawn(() -> {
                    try (var _ = lock.acquire()) {
                        events.add(name);
                        sleep(Duration.ZERO);
                    }
                }));
            }
            sleep(Duration.ZERO); // all five park, in spawn order
            assertEquals(5, lock.waiters());
            lock.release(); // handed to w0: still locked, so nobody can take it first
            assertTrue(lock.locked());
            assertFalse(lock.tryAcquire());
            tasks.add(spawn(() -> {
                try (var _ = lock.acquire()) {
                    events.add("newcomer");
                }
            }));
            for (Task<Void> t : tasks) {
                t.await();
            }
            assertFalse(lock.locked());
        });
        assertEquals(List.of("w0", "w1", "w2", "w3", "w4", "newcomer"), events);
    }

    @Test
    void acquireReturnsTheSameHeldEveryTimeAndTryAcquireRespectsTheLock() {
        runTest(() -> {
            LoopLock lock = new LoopLock();
            Held first = lock.acquire();
            assertTrue(lock.locked());
            assertFalse(lock.tryAcquire());
            first.close();
            assertFalse(lock.locked());
            assertTrue(lock.tryAcquire());
            lock.release();
            Held second = lock.acquire();
            assertSame(first, second);
            second.close();
        });
    }

    @Test
    void releasingAnUnlockedLockFails() {
        runTest(() -> {
            LoopLock lock = new LoopLock();
            IllegalStateException e = assertThrows(IllegalStateException.class, lock::release);
            assertEquals("LoopLock is not locked", e.getMessage());
            Held h = lock.acquire();
            h.close();
            assertThrows(IllegalStateException.class, h::close); // a second close is a second release
        });
    }

    @Test
    void releasingAgainBeforeTheNextWaiterRanFails() {
        runTest(() -> {
            LoopLock lock = new LoopLock();
            lock.acquire();
            Task<Void> w = spawn(() -> {
                try (var _ = lock.acquire()) {
                    events.add("w holds");
                    sleep(Duration.ZERO);
                }
            });
            sleep(Duration.ZERO);
            lock.release(); // handed to w
            assertThrows(IllegalStateException.class, lock::release); // would let w and the next one both in
            w.await();
            assertFalse(lock.locked());
        });
        assertEquals(List.of("w holds"), events);
    }

    @Test
    void anyCoroutineOrCallbackOfTheLoopMayRelease() {
        runTest(() -> {
            LoopLock lock = new LoopLock();
            spawn(() -> {
                        lock.acquire();
                    })
                    .await();
            assertTrue(lock.locked());
            Loop.current().callSoon(lock::release);
            sleep(Duration.ZERO);
            assertFalse(lock.locked());
        });
    }

    // (a) cancelled while parked
    @Test
    void aWaiterCancelledWhileParkedLeavesTheLine() {
        runTest(() -> {
            LoopLock lock = new LoopLock();
            lock.acquire();
            Task<Void> w1 = spawn(() -> {
                lock.acquire();
                events.add("w1 acquired");
            });
            Task<Void> w2 = spawn(() -> {
                try (var _ = lock.acquire()) {
                    events.add("w2 acquired");
                }
            });
            sleep(Duration.ZERO);
            assertEquals(2, lock.waiters());
            w1.cancel();
            assertThrows(Cancelled.class, w1::await);
            assertEquals(1, lock.waiters());
            assertTrue(lock.locked()); // still ours
            lock.release();
            w2.await();
            assertFalse(lock.locked());
            assertEquals(0, lock.waiters());
        });
        assertEquals(List.of("w2 acquired"), events);
    }

    // (b) handed the lock and cancelled in the same pass, before it ran
    @Test
    void aWaiterCancelledAfterTheHandoffPassesTheLockOn() {
        runTest(() -> {
            LoopLock lock = new LoopLock();
            lock.acquire();
            Task<Void> w1 = spawn(() -> {
                lock.acquire();
                events.add("w1 acquired");
            });
            Task<Void> w2 = spawn(() -> {
                try (var _ = lock.acquire()) {
                    events.add("w2 acquired");
                }
            });
            sleep(Duration.ZERO);
            Loop.current().callSoon(() -> {
                lock.release(); // hands the lock to w1...
                w1.cancel(); // ...which is cancelled before it runs
            });
            assertThrows(Cancelled.class, w1::await);
            w2.await();
            assertFalse(lock.locked());
            assertEquals(0, lock.waiters());
        });
        assertEquals(List.of("w2 acquired"), events);
    }

    @Test
    void theLastWaiterCancelledAfterTheHandoffUnlocksTheLock() {
        runTest(() -> {
            LoopLock lock = new LoopLock();
            lock.acquire();
            Task<Void> w = spawn(() -> {
                lock.acquire();
            });
            sleep(Duration.ZERO);
            lock.release();
            w.cancel();
            assertThrows(Cancelled.class, w::await);
            assertFalse(lock.locked());
            assertTrue(lock.tryAcquire());
        });
    }

    // (c) via a timeout, while parked
    @Test
    void aTimedOutAcquireLeavesTheLockAsItWas() {
        runTest(() -> {
            LoopLock lock = new LoopLock();
            spawn(() -> {
                try (var _ = lock.acquire()) {
                    sleep(Duration.ofMillis(50));
                }
            });
            sleep(Duration.ZERO);
            assertThrows(
                    TimedOut.class,
                    () -> withTimeout(Duration.ofMillis(1), () -> {
                        lock.acquire();
                        events.add("acquired");
                    }));
            assertEquals(0, lock.waiters());
            assertTrue(lock.locked()); // still the other task's
            try (var _ = lock.acquire()) { // the lock works on
                events.add("acquired after the holder");
            }
            assertFalse(lock.locked());
        });
        assertEquals(List.of("acquired after the holder"), events);
    }

    // (c) via a timeout expiring in the same pass as the handoff
    @Test
    void aTimeoutExpiringAsTheLockIsHandedOverPassesItOn() {
        TestLoop.manual().run(() -> {
            Loop loop = Loop.current();
            LoopLock lock = new LoopLock();
            lock.acquire();
            long deadline = loop.nanoTime() + Duration.ofSeconds(1).toNanos();
            loop.callAt(deadline, lock::release); // due with the deadline, and scheduled first: runs first
            Task<Void> timed = spawn(() -> TimeoutScope.at(deadline).run(() -> {
                lock.acquire();
                events.add("timed acquired");
                return null;
            }));
            Task<Void> next = spawn(() -> {
                sleep(Duration.ZERO); // queues behind the timed one
                try (var _ = lock.acquire()) {
                    events.add("next acquired");
                }
            });
            sleep(Duration.ZERO);
            sleep(Duration.ZERO);
            assertEquals(2, lock.waiters());
            TestLoop.current()
                    .advance(Duration.ofSeconds(1)); // one pass: the release hands the lock over, the deadline cancels
            assertThrows(TimedOut.class, timed::await);
            next.await();
            assertFalse(lock.locked());
            assertEquals(0, lock.waiters());
            return null;
        });
        assertEquals(List.of("next acquired"), events);
    }

    @Test
    void acquireOutsideACoroutineFails() {
        runTest(() -> {
            LoopLock lock = new LoopLock();
            AtomicReference<Throwable> error = new AtomicReference<>();
            Loop.current().callSoon(() -> {
                try {
                    lock.acquire();
                } catch (Throwable e) {
                    error.set(e);
                }
            });
            sleep(Duration.ZERO);
            assertTrue(error.get() instanceof IllegalStateException, String.valueOf(error.get()));
            assertTrue(
                    error.get().getMessage().contains("coroutine"), error.get().getMessage());
            assertFalse(lock.locked());
        });
    }

    @Test
    void aLockBelongsToTheLoopOfItsFirstUse() {
        LoopLock lock = new LoopLock();
        assertThrows(IllegalStateException.class, lock::tryAcquire); // no loop here
        runTest(() -> {
            lock.acquire();
            lock.release();
        });
        IllegalStateException e = assertThrows(
                IllegalStateException.class,
                () -> runTest(() -> {
                    lock.acquire();
                }));
        assertTrue(e.getMessage().contains("belongs to"), e.getMessage());
    }

    @Test
    void aPlainThreadCannotUseALoopsLock() {
        runTest(() -> {
            LoopLock lock = new LoopLock();
            lock.acquire();
            AtomicReference<Throwable> error = new AtomicReference<>();
            Thread t = Thread.ofPlatform().start(() -> {
                try {
                    lock.release();
                } catch (Throwable e) {
                    error.set(e);
                }
            });
            t.join();
            assertTrue(error.get() instanceof IllegalStateException, String.valueOf(error.get()));
            assertTrue(
                    error.get().getMessage().contains("callSoonThreadsafe"),
                    error.get().getMessage());
            assertTrue(lock.locked());
        });
    }
}
