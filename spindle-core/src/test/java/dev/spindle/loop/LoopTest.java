package dev.spindle.loop;

import static dev.spindle.Spindle.run;
import static dev.spindle.Spindle.sleep;
import static dev.spindle.Spindle.spawn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.task.LoopFuture;
import dev.spindle.task.Task;
import dev.spindle.test.TestLoop;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LoopTest {

    @Test
    void callSoonRunsCallbacksInFifoOrder() {
        List<Integer> order = new ArrayList<>();
        try (Loop loop = Loop.create()) {
            for (int i = 0; i < 100; i++) {
                int k = i;
                loop.callSoon(() -> order.add(k));
            }
            loop.callSoon(loop::stop);
            loop.runForever();
        }
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            expected.add(i);
        }
        assertEquals(expected, order);
    }

    @Test
    void callbacksScheduledDuringAPassRunInTheNextPass() {
        List<String> order = new ArrayList<>();
        try (Loop loop = Loop.create()) {
            loop.callSoon(() -> {
                order.add("a");
                loop.callSoon(() -> order.add("c (scheduled by a)"));
            });
            loop.callSoon(() -> order.add("b"));
            loop.callLater(Duration.ofMillis(5), loop::stop);
            loop.runForever();
        }
        assertEquals(List.of("a", "b", "c (scheduled by a)"), order);
    }

    @Test
    void coroutinesAndCallbacksShareOneFifoQueue() {
        List<String> order = run(() -> {
            List<String> events = new ArrayList<>();
            Loop loop = Loop.current();
            loop.callSoon(() -> events.add("callback 1"));
            Task<Void> t = spawn(() -> {
                events.add("task start");
            });
            loop.callSoon(() -> events.add("callback 2"));
            t.await();
            return events;
        });
        assertEquals(List.of("callback 1", "task start", "callback 2"), order);
    }

    @Test
    void timersFireInDeadlineOrderAndTiesInSchedulingOrder() {
        List<String> order = new ArrayList<>();
        try (Loop loop = Loop.create()) {
            long base = loop.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20);
            loop.callAt(base + 2_000_000, () -> order.add("late"));
            loop.callAt(base, () -> order.add("tie-1"));
            loop.callAt(base, () -> order.add("tie-2"));
            loop.callAt(base - 1_000_000, () -> order.add("early"));
            loop.callAt(base, () -> order.add("tie-3"));
            loop.callAt(base + 3_000_000, loop::stop);
            loop.runForever();
        }
        assertEquals(List.of("early", "tie-1", "tie-2", "tie-3", "late"), order);
    }

    @Test
    void timerNeverFiresBeforeItsDeadline() {
        try (Loop loop = Loop.create()) {
            long[] firedAt = new long[1];
            long start = loop.nanoTime();
            TimerHandle h = loop.callLater(Duration.ofMillis(30), () -> {
                firedAt[0] = loop.nanoTime();
                loop.stop();
            });
            loop.runForever();
            assertTrue(firedAt[0] >= h.when(), "fired at " + firedAt[0] + " before its deadline " + h.when());
            assertTrue(h.when() - start >= TimeUnit.MILLISECONDS.toNanos(30));
        }
    }

    @Test
    void cancelledHandlesNeverRun() {
        List<String> order = new ArrayList<>();
        try (TestLoop t = TestLoop.virtual()) { // virtual time: the timers fire at once
            Loop loop = t.loop();
            Handle soon = loop.callSoon(() -> order.add("soon"));
            TimerHandle later = loop.callLater(Duration.ofMillis(1), () -> order.add("later"));
            soon.cancel();
            later.cancel();
            assertTrue(soon.isCancelled());
            assertTrue(later.isCancelled());
            loop.callLater(Duration.ofMillis(10), loop::stop);
            loop.runForever();
        }
        assertEquals(List.of(), order);
    }

    @Test
    void manyCancelledTimersAreDroppedAndTheRestStillFire() {
        int[] fired = {0};
        try (TestLoop t = TestLoop.virtual()) { // virtual time: the timers fire at once
            Loop loop = t.loop();
            List<TimerHandle> hs = new ArrayList<>();
            for (int i = 0; i < 10_000; i++) {
                hs.add(loop.callLater(Duration.ofMillis(1 + i % 5), () -> fired[0]++));
            }
            for (int i = 0; i < hs.size(); i++) {
                if (i % 10 != 0) {
                    hs.get(i).cancel();
                }
            }
            loop.callLater(Duration.ofMillis(20), loop::stop);
            loop.runForever();
        }
        assertEquals(1_000, fired[0]);
    }

    @Test
    void callSoonThreadsafeWakesAnIdleLoopFromAnotherThread() throws Exception {
        try (Loop loop = Loop.create()) {
            CountDownLatch running = new CountDownLatch(1);
            List<String> seen = new CopyOnWriteArrayList<>();
            loop.callSoon(running::countDown);
            Thread other = Thread.ofPlatform().start(() -> {
                try {
                    running.await();
                    Thread.sleep(20); // the loop is idle now, parked with no timer
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
                loop.callSoonThreadsafe(() -> {
                    seen.add(Thread.currentThread().getName());
                    loop.stop();
                });
            });
            Thread.currentThread().setName("loop-owner");
            loop.runForever();
            other.join();
            assertEquals(List.of("loop-owner"), seen);
        }
    }

    @Test
    void loopMethodsRefuseOtherThreadsWhileRunning() throws Exception {
        try (Loop loop = Loop.create()) {
            CompletableFuture<Throwable> fromOther = new CompletableFuture<>();
            loop.callSoon(() -> Thread.ofPlatform().start(() -> {
                try {
                    loop.callSoon(() -> {});
                    fromOther.complete(null);
                } catch (Throwable e) {
                    fromOther.complete(e);
                }
                loop.callSoonThreadsafe(loop::stop);
            }));
            loop.runForever();
            Throwable e = fromOther.get(5, TimeUnit.SECONDS);
            assertTrue(e instanceof IllegalStateException, String.valueOf(e));
            assertTrue(e.getMessage().contains("callSoonThreadsafe"), e.getMessage());
        }
    }

    @Test
    void runUntilCompleteRethrowsACheckedExceptionUnchanged() {
        try (Loop loop = Loop.create()) {
            IOException boom = new IOException("disk on fire");
            Exception thrown = assertThrows(
                    Exception.class,
                    () -> loop.runUntilComplete(() -> {
                        sleep(Duration.ofMillis(1));
                        throw boom;
                    }));
            assertSame(boom, thrown);
        }
    }

    @Test
    void runUntilCompleteReturnsTheResultAndTheLoopCanRunAgain() {
        try (Loop loop = Loop.create()) {
            assertEquals(1, loop.runUntilComplete(() -> 1));
            assertEquals(2, loop.runUntilComplete(() -> {
                sleep(Duration.ofMillis(1));
                return 2;
            }));
            LoopFuture<String> f = loop.createFuture();
            loop.callLater(Duration.ofMillis(1), () -> f.setResult("set"));
            assertEquals("set", loop.runUntilComplete(f));
        }
    }

    @Test
    void closedLoopRejectsWorkWithAClearError() {
        Loop loop = Loop.create();
        loop.close();
        assertTrue(loop.isClosed());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> loop.callSoon(() -> {}));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> loop.callSoonThreadsafe(() -> {}));
        assertThrows(IllegalStateException.class, loop::runForever);
        loop.close(); // closing twice does nothing
    }

    @Test
    void closingARunningLoopFails() {
        try (Loop loop = Loop.create()) {
            Throwable[] seen = new Throwable[1];
            loop.callSoon(() -> {
                try {
                    loop.close();
                } catch (Throwable e) {
                    seen[0] = e;
                }
                loop.stop();
            });
            loop.runForever();
            assertTrue(seen[0] instanceof IllegalStateException);
            assertFalse(loop.isClosed());
        }
    }

    @Test
    void currentFailsClearlyOutsideALoop() {
        IllegalStateException e = assertThrows(IllegalStateException.class, Loop::current);
        assertTrue(e.getMessage().contains("Spindle.run"), e.getMessage());
        assertEquals(null, Loop.currentOrNull());
    }

    @Test
    void currentIsTheRunningLoopInCoroutinesAndCallbacks() {
        try (Loop loop = Loop.create()) {
            Loop[] inCallback = new Loop[1];
            loop.callSoon(() -> inCallback[0] = Loop.current());
            Loop inCoroutine = loop.runUntilComplete(() -> Loop.current());
            assertSame(loop, inCoroutine);
            assertSame(loop, inCallback[0]);
        }
    }

    @Test
    void timeIsMonotonicAndInSeconds() {
        try (Loop loop = Loop.create()) {
            double a = loop.time();
            long n = loop.nanoTime();
            double b = loop.time();
            assertTrue(b >= a);
            assertTrue(Math.abs(n / 1e9 - a) < 1.0);
        }
    }

    @Test
    void anExceptionInACallbackGoesToTheHandlerAndTheLoopGoesOn() {
        List<ExceptionContext> reported = new ArrayList<>();
        List<String> order = new ArrayList<>();
        try (Loop loop = Loop.create()) {
            loop.setExceptionHandler((l, ctx) -> reported.add(ctx));
            loop.callSoon(() -> {
                throw new IllegalArgumentException("bad callback");
            });
            loop.callSoon(() -> order.add("next callback ran"));
            loop.callSoon(loop::stop);
            loop.runForever();
        }
        assertEquals(List.of("next callback ran"), order);
        assertEquals(1, reported.size());
        assertEquals("bad callback", reported.get(0).exception().getMessage());
        assertTrue(reported.get(0).message().contains("callback"));
    }

    @Test
    void severalLoopsRunOnTheirOwnThreadsInOneJvm() throws Exception {
        int n = 4;
        List<Thread> threads = new ArrayList<>();
        List<String> results = Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < n; i++) {
            int k = i;
            threads.add(Thread.ofPlatform()
                    .name("loop-" + k)
                    .start(() -> results.add(run(() -> {
                        Task<String> t = spawn(() -> {
                            sleep(Duration.ofMillis(5));
                            return Thread.currentThread().isVirtual() + "@" + k;
                        });
                        return t.await();
                    }))));
        }
        for (Thread t : threads) {
            t.join();
        }
        Collections.sort(results);
        assertEquals(List.of("true@0", "true@1", "true@2", "true@3"), results);
    }

    @Test
    void submitRunsACoroutineFromAnotherThreadAndCancellingTheFutureCancelsTheTask() throws Exception {
        Loop loop = Loop.create();
        Thread runner = Thread.ofPlatform().start(loop::runForever);
        try {
            assertEquals(42, loop.submit(() -> 42).get(5, TimeUnit.SECONDS));
            CountDownLatch started = new CountDownLatch(1);
            CompletableFuture<Boolean> cleaned = new CompletableFuture<>();
            CompletableFuture<Void> cf = loop.submit(() -> {
                started.countDown();
                try {
                    sleep(Duration.ofHours(1));
                } finally {
                    cleaned.complete(true);
                }
                return null;
            });
            assertTrue(started.await(5, TimeUnit.SECONDS));
            cf.cancel(false);
            assertTrue(cleaned.get(5, TimeUnit.SECONDS));
        } finally {
            loop.stop();
            runner.join();
            loop.close();
        }
    }

    @Test
    void stopBeforeRunForeverRunsOnePassThenReturns() {
        try (Loop loop = Loop.create()) {
            List<String> order = new ArrayList<>();
            loop.callSoon(() -> order.add("ran"));
            loop.stop();
            loop.runForever();
            assertEquals(List.of("ran"), order);
            assertFalse(loop.isRunning());
        }
    }

    @Test
    void cancellingManyDueTimersFromACallbackIsSafe() {
        // regression: timers already moved to the ready queue were still counted as cancelled heap entries, and a
        // purge of the (empty) heap crashed the loop
        List<String> ran = new ArrayList<>();
        try (Loop loop = Loop.create()) {
            List<TimerHandle> hs = new ArrayList<>();
            long due = loop.nanoTime() + TimeUnit.MILLISECONDS.toNanos(2);
            hs.add(loop.callAt(due, () -> {
                ran.add("first");
                hs.forEach(TimerHandle::cancel);
            }));
            for (int i = 0; i < 200; i++) {
                hs.add(loop.callAt(due, () -> ran.add("cancelled one ran")));
            }
            loop.callAt(due + 1_000_000, loop::stop);
            loop.runForever();
        }
        assertEquals(List.of("first"), ran);
    }
}
