package dev.spindle.sync;

import static dev.spindle.Spindle.run;
import static dev.spindle.Spindle.sleep;
import static dev.spindle.Spindle.spawn;
import static dev.spindle.Spindle.withTimeout;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.task.Cancelled;
import dev.spindle.task.Task;
import dev.spindle.time.TimedOut;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Checks what the package summary says about java.util.concurrent and {@code synchronized} in coroutines. */
@Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class JdkPrimitivesInCoroutinesTest {
    private final List<String> events = new ArrayList<>();

    @Test
    void cancellingATaskBlockedInAJdkSemaphoreEndsItCancelled() {
        run(() -> {
            Semaphore s = new Semaphore(0);
            Task<Void> t = spawn(() -> {
                s.acquire(); // InterruptedException propagates
            });
            sleep(Duration.ZERO);
            assertTrue(s.hasQueuedThreads());
            t.cancel();
            assertThrows(Cancelled.class, t::await);
            assertTrue(t.isCancelled());
            assertFalse(s.hasQueuedThreads());
            assertEquals(0, s.availablePermits()); // and it took no permit
        });
    }

    @Test
    void aTimeoutInterruptsAJdkWaitAndTimesOut() {
        run(() -> {
            Semaphore s = new Semaphore(0);
            assertThrows(
                    TimedOut.class,
                    () -> withTimeout(Duration.ofMillis(1), () -> {
                        s.acquire();
                    }));
            assertFalse(s.hasQueuedThreads());
        });
    }

    @Test
    void catchingTheInterruptionLeavesTheCancelPendingButLaterJdkWaitsUninterrupted() {
        run(() -> {
            Semaphore s = new Semaphore(0);
            Task<String> t = spawn(() -> {
                try {
                    s.acquire();
                } catch (InterruptedException e) {
                    events.add("interrupted");
                }
                // the interrupt status is gone: this JDK wait is not interrupted, it runs to its end
                events.add("second JDK wait got a permit: " + s.tryAcquire(1, TimeUnit.MILLISECONDS));
                try {
                    sleep(Duration.ZERO); // the cancellation is still pending: delivered at the next Spindle wait
                    events.add("slept");
                } catch (Cancelled c) {
                    events.add("Cancelled at the next Spindle wait");
                }
                return "returned normally";
            });
            sleep(Duration.ZERO);
            t.cancel();
            try {
                t.await();
            } catch (Cancelled c) {
                events.add("awaiting it: Cancelled");
            }
            assertFalse(t.isCancelled()); // it took the Cancelled and swallowed it: a normal end
        });
        assertEquals(
                List.of("interrupted", "second JDK wait got a permit: false", "Cancelled at the next Spindle wait"),
                events);
    }

    @Test
    void aTaskThatCatchesTheInterruptionAndReturnsStillEndsCancelled() {
        run(() -> {
            Semaphore s = new Semaphore(0);
            Task<String> t = spawn(() -> {
                try {
                    s.acquire();
                } catch (InterruptedException e) {
                    events.add("interrupted");
                }
                return "returned normally";
            });
            sleep(Duration.ZERO);
            t.cancel();
            assertThrows(Cancelled.class, t::await);
            assertTrue(t.isCancelled());
        });
        assertEquals(List.of("interrupted"), events);
    }

    @Test
    void restoringTheInterruptStatusInterruptsTheNextJdkWait() {
        run(() -> {
            Semaphore s = new Semaphore(0);
            Task<Void> t = spawn(() -> {
                try {
                    s.acquire();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                try {
                    s.acquire();
                } catch (InterruptedException e) {
                    events.add("second JDK wait interrupted too");
                    throw e;
                }
            });
            sleep(Duration.ZERO);
            t.cancel();
            assertThrows(Cancelled.class, t::await);
            assertTrue(t.isCancelled());
        });
        assertEquals(List.of("second JDK wait interrupted too"), events);
    }

    @Test
    void aWrappedInterruptionEndsTheTaskFailedNotCancelled() {
        run(() -> {
            Semaphore s = new Semaphore(0);
            Task<Void> t = spawn(() -> {
                try {
                    s.acquire();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            sleep(Duration.ZERO);
            t.cancel();
            assertThrows(IllegalStateException.class, t::await);
            assertTrue(t.isFailed());
        });
    }

    @Test
    void aJdkLockHeldByAPlainThreadParksOnlyTheCoroutine() {
        run(() -> {
            ReentrantLock lock = new ReentrantLock();
            CountDownLatch held = new CountDownLatch(1);
            CountDownLatch otherCoroutineRan = new CountDownLatch(1);
            boolean[] sawIt = {false};
            Thread plain = Thread.ofPlatform().start(() -> {
                lock.lock();
                try {
                    held.countDown();
                    sawIt[0] = otherCoroutineRan.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    lock.unlock();
                }
            });
            held.await(); // parks this coroutine only
            Task<String> blocked = spawn(() -> {
                lock.lock();
                try {
                    return "got the JDK lock";
                } finally {
                    lock.unlock();
                }
            });
            Task<Void> other = spawn(() -> {
                events.add("other ran while the first was queued: " + lock.hasQueuedThread(blocked.thread()));
                otherCoroutineRan.countDown();
            });
            assertEquals("got the JDK lock", blocked.await());
            other.await();
            plain.join();
            assertTrue(sawIt[0]);
        });
        assertEquals(List.of("other ran while the first was queued: true"), events);
    }

    @Test
    void synchronizedParksOnlyTheCoroutineAndACancelArrivesOnceItGetsIn() {
        run(() -> {
            Object monitor = new Object();
            CountDownLatch held = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            Thread plain = Thread.ofPlatform().start(() -> {
                synchronized (monitor) {
                    held.countDown();
                    try {
                        release.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            });
            held.await();
            Task<Void> blocked = spawn(() -> {
                synchronized (monitor) {
                    events.add("entered the monitor");
                }
                sleep(Duration.ZERO); // the first Spindle wait after it got in
                events.add("slept");
            });
            sleep(Duration.ZERO);
            assertEquals(Thread.State.BLOCKED, blocked.thread().getState()); // and yet this coroutine runs
            blocked.cancel(); // entering a monitor cannot be interrupted...
            sleep(Duration.ZERO);
            assertFalse(blocked.isDone());
            release.countDown();
            assertThrows(Cancelled.class, blocked::await); // ...so the cancel arrives after it got in
            plain.join();
        });
        assertEquals(List.of("entered the monitor"), events);
    }
}
