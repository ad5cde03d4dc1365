package dev.spindle.queue;

import static dev.spindle.Spindle.await;
import static dev.spindle.Spindle.run;
import static dev.spindle.Spindle.sleep;
import static dev.spindle.Spindle.spawn;
import static dev.spindle.Spindle.withTimeout;
import static dev.spindle.queue.QueueKind.passes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.Spindle;
import dev.spindle.loop.Loop;
import dev.spindle.task.Cancelled;
import dev.spindle.task.Coroutine;
import dev.spindle.task.LoopFuture;
import dev.spindle.task.Task;
import dev.spindle.time.TimedOut;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The thread-safe view: plain threads and coroutines of other loops producing into and consuming from a queue of
 * one loop, exactly once, and giving up (cancelled, interrupted, timed out) without losing an item.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ThreadsafeQueueTest {

    /** Runs {@code body} on a new platform thread; the future completes with its outcome. */
    private static <T> CompletableFuture<T> onPlainThread(Callable<T> body) {
        CompletableFuture<T> cf = new CompletableFuture<>();
        Thread.ofPlatform().name("plain").start(() -> {
            try {
                cf.complete(body.call());
            } catch (Throwable e) {
                cf.completeExceptionally(e);
            }
        });
        return cf;
    }

    /** Runs {@code body} as the main coroutine of a second loop, on its own platform thread. */
    private static <T> CompletableFuture<T> onAnotherLoop(Coroutine<T> body) {
        return onPlainThread(() -> Spindle.run(body));
    }

    /** Waits, a millisecond at a time, until {@code condition} holds (the class timeout bounds it). */
    private static void eventually(BooleanSupplier condition) {
        while (!condition.getAsBoolean()) {
            sleep(Duration.ofMillis(1));
        }
    }

    // ---- exactly once across threads and loops --------------------------------------------------------------

    @Test
    void aPlainThreadFeedsCoroutinesThroughABoundedQueueExactlyOnce() {
        run(() -> {
            LoopQueue<Integer> q = LoopQueue.fifo(16);
            ThreadsafeQueue<Integer> in = q.threadsafe();
            CompletableFuture<Void> producer = onPlainThread(() -> {
                for (int i = 0; i < 10_000; i++) {
                    in.put(i);
                }
                in.shutdown();
                return null;
            });
            eventually(() -> q.waitingPutters() == 1); // the producer waits for room: backpressure on a thread
            assertTrue(q.isFull());
            List<Task<List<Integer>>> consumers = new ArrayList<>();
            for (int c = 0; c < 4; c++) {
                consumers.add(spawn(() -> {
                    List<Integer> got = new ArrayList<>();
                    try {
                        while (true) {
                            got.add(q.get());
                        }
                    } catch (QueueShutDown end) {
                        return got;
                    }
                }));
            }
            await(producer);
            boolean[] seen = new boolean[10_000];
            int total = 0;
            for (Task<List<Integer>> c : consumers) {
                List<Integer> got = c.await();
                for (int i = 0; i < got.size(); i++) {
                    int x = got.get(i);
                    assertFalse(seen[x], "received twice: " + x);
                    seen[x] = true;
                    assertTrue(i == 0 || got.get(i - 1) < x, "out of order"); // one producer, FIFO
                }
                total += got.size();
            }
            assertEquals(10_000, total);
            assertEquals(0, q.waitingPutters());
        });
    }

    @Test
    void aCoroutineOfAnotherLoopConsumesWhileItsLoopRunsOtherCoroutines() {
        run(() -> {
            LoopQueue<Integer> q = LoopQueue.fifo(8);
            ThreadsafeQueue<Integer> view = q.threadsafe();
            CompletableFuture<Void> bStillRuns = new CompletableFuture<>();
            CompletableFuture<List<Integer>> consumed = onAnotherLoop(() -> {
                Task<List<Integer>> consumer = spawn(() -> {
                    List<Integer> got = new ArrayList<>();
                    try {
                        while (true) {
                            got.add(view.get());
                        }
                    } catch (QueueShutDown end) {
                        return got;
                    }
                });
                passes(3); // the consumer now waits on the other loop's queue, and this coroutine still runs
                bStillRuns.complete(null);
                return consumer.await();
            });
            await(bStillRuns);
            eventually(() -> q.waitingGetters() == 1); // the other loop's get waits in this queue's line
            for (int i = 0; i < 2_000; i++) {
                q.put(i);
            }
            q.shutdown();
            List<Integer> got = await(consumed);
            assertEquals(2_000, got.size());
            for (int i = 0; i < got.size(); i++) {
                assertEquals(i, got.get(i));
            }
        });
    }

    @Test
    void aCoroutineOfAnotherLoopProducesWithBackpressure() {
        run(() -> {
            LoopQueue<Integer> q = LoopQueue.fifo(2);
            ThreadsafeQueue<Integer> view = q.threadsafe();
            CompletableFuture<Integer> produced = onAnotherLoop(() -> {
                for (int i = 0; i < 500; i++) {
                    view.put(i);
                }
                view.join(); // until this loop's consumer has handled them all
                return view.size();
            });
            eventually(() -> q.waitingPutters() == 1);
            for (int i = 0; i < 500; i++) {
                assertEquals(i, q.get());
                q.taskDone();
            }
            assertEquals(0, await(produced));
        });
    }

    // ---- calls on the queue's own loop ----------------------------------------------------------------------

    @Test
    void onTheQueuesOwnLoopTheViewCallsTheQueueDirectly() {
        run(() -> {
            LoopQueue<Integer> q = LoopQueue.fifo(1);
            ThreadsafeQueue<Integer> view = q.threadsafe();
            assertSame(q, view.queue());
            assertSame(Loop.current(), view.loop());
            LoopFuture<Integer> fromCallback = Loop.current().createFuture();
            Loop.current().callSoon(() -> {
                view.putNowait(5); // a forwarded call would have to wait for this very loop: it must not forward
                fromCallback.setResult(view.getNowait());
            });
            assertEquals(5, fromCallback.await());
            int tasksBefore = Loop.current().allTasks().size();
            Task<Integer> getter = spawn(() -> view.get());
            passes(2);
            assertEquals(1, q.waitingGetters());
            assertEquals(tasksBefore + 1, Loop.current().allTasks().size()); // no helper task waits for it
            view.put(6);
            assertEquals(6, getter.await());
            assertEquals(0, view.size());
            assertTrue(view.isEmpty());
        });
    }

    // ---- giving up without losing an item ---------------------------------------------------------------------

    @Test
    void aForwardedGetCancelledWhileWaitingTakesNothingAndLeavesTheLine() {
        run(() -> {
            LoopQueue<Integer> q = LoopQueue.fifo();
            ThreadsafeQueue<Integer> view = q.threadsafe();
            CompletableFuture<Void> goCancel = new CompletableFuture<>();
            CompletableFuture<String> outcome = onAnotherLoop(() -> {
                Task<Integer> getter = spawn(() -> view.get());
                await(goCancel);
                getter.cancel();
                try {
                    return "got " + getter.await();
                } catch (Cancelled c) {
                    return "cancelled";
                }
            });
            eventually(() -> q.waitingGetters() == 1);
            goCancel.complete(null);
            assertEquals("cancelled", await(outcome));
            eventually(() -> q.waitingGetters() == 0); // its place in the line is given up
            q.putNowait(1);
            passes(3);
            assertEquals(1, q.size());
        });
    }

    @Test
    void aForwardedGetCancelledAfterItsItemArrivedButBeforeItTookItPassesTheItemOn() {
        run(() -> {
            LoopQueue<Integer> q = LoopQueue.fifo();
            ThreadsafeQueue<Integer> view = q.threadsafe();
            CompletableFuture<Task<Integer>> remote = new CompletableFuture<>();
            CompletableFuture<String> outcome = onAnotherLoop(() -> {
                Task<Integer> getter = spawn(() -> view.get());
                remote.complete(getter);
                try {
                    return "got " + getter.await();
                } catch (Cancelled c) {
                    return "cancelled";
                }
            });
            Task<Integer> remoteGetter = await(remote);
            eventually(() -> q.waitingGetters() == 1);
            Task<Integer> local = spawn(() -> q.get()); // second in line
            passes(2);
            assertEquals(2, q.waitingGetters());
            q.putNowait(7); // wakes the remote get's agent; it can run only after this step
            remoteGetter.cancel();
            while (!outcome.isDone()) {
                Thread.onSpinWait(); // hold this loop, so the cancel lands before the agent runs
            }
            assertEquals("cancelled", outcome.join());
            assertEquals(7, local.await()); // the agent passed its wake-up on
            eventually(() -> q.waitingGetters() == 0);
            assertTrue(q.isEmpty());
        });
    }

    @Test
    void aForwardedGetThatAlreadyTookItsItemReturnsItAndTheCancelComesAtTheNextWait() {
        run(() -> {
            LoopQueue<Integer> q = LoopQueue.fifo();
            ThreadsafeQueue<Integer> view = q.threadsafe();
            CompletableFuture<Task<?>> remote = new CompletableFuture<>();
            CompletableFuture<Void> hold = new CompletableFuture<>();
            AtomicBoolean holding = new AtomicBoolean();
            AtomicBoolean release = new AtomicBoolean();
            AtomicInteger got = new AtomicInteger(-1);
            CompletableFuture<String> outcome = onAnotherLoop(() -> {
                Task<Void> getter = spawn(() -> {
                    got.set(view.get());
                    sleep(Duration.ZERO); // the pending cancellation is delivered here
                });
                remote.complete(getter);
                await(hold);
                holding.set(true);
                while (!release.get()) {
                    Thread.onSpinWait(); // hold the other loop: the getter cannot run
                }
                try {
                    getter.await();
                    return "not cancelled";
                } catch (Cancelled c) {
                    return "cancelled after taking " + got.get();
                }
            });
            Task<?> remoteGetter = await(remote);
            eventually(() -> q.waitingGetters() == 1);
            hold.complete(null);
            eventually(holding::get);
            q.putNowait(7);
            eventually(q::isEmpty); // the agent took the item for the remote getter
            remoteGetter.cancel(); // too late to undo the get
            release.set(true);
            assertEquals("cancelled after taking 7", await(outcome));
            assertTrue(q.isEmpty());
        });
    }

    @Test
    void aForwardedGetThatTimesOutTakesNothing() {
        run(() -> {
            LoopQueue<Integer> q = LoopQueue.fifo();
            ThreadsafeQueue<Integer> view = q.threadsafe();
            CompletableFuture<String> outcome = onAnotherLoop(() -> {
                try {
                    return "got " + withTimeout(Duration.ofMillis(20), () -> view.get());
                } catch (TimedOut e) {
                    return "timed out";
                }
            });
            assertEquals("timed out", await(outcome));
            eventually(() -> q.waitingGetters() == 0);
            q.putNowait(1);
            passes(3);
            assertEquals(1, q.size());
        });
    }

    @Test
    void aPlainThreadInterruptedWhileWaitingInGetTakesNothingAndKeepsItsInterrupt() {
        run(() -> {
            LoopQueue<Integer> q = LoopQueue.fifo();
            ThreadsafeQueue<Integer> view = q.threadsafe();
            AtomicReference<Thread> caller = new AtomicReference<>();
            CompletableFuture<String> outcome = onPlainThread(() -> {
                caller.set(Thread.currentThread());
                try {
                    return "got " + view.get();
                } catch (Cancelled c) {
                    return "cancelled, interrupted=" + Thread.currentThread().isInterrupted();
                }
            });
            eventually(() -> q.waitingGetters() == 1);
            caller.get().interrupt();
            assertEquals("cancelled, interrupted=true", await(outcome));
            eventually(() -> q.waitingGetters() == 0);
            q.putNowait(1);
            passes(3);
            assertEquals(1, q.size());
        });
    }

    @Test
    void aPlainThreadInterruptedAfterItsPutWasWokenButBeforeItRanPutsNothing() {
        run(() -> {
            LoopQueue<Integer> q = LoopQueue.fifo(1);
            ThreadsafeQueue<Integer> view = q.threadsafe();
            q.putNowait(1);
            AtomicReference<Thread> caller = new AtomicReference<>();
            CompletableFuture<String> outcome = onPlainThread(() -> {
                caller.set(Thread.currentThread());
                try {
                    view.put(2);
                    return "put";
                } catch (Cancelled c) {
                    return "cancelled";
                }
            });
            eventually(() -> q.waitingPutters() == 1);
            Task<?> local = spawn(() -> q.put(3)); // second in line
            passes(2);
            assertEquals(1, q.getNowait()); // frees the slot: wakes the thread's agent, which runs after this step
            caller.get().interrupt();
            while (!outcome.isDone()) {
                Thread.onSpinWait(); // hold this loop, so the interrupt lands before the agent runs
            }
            assertEquals("cancelled", outcome.join());
            local.await(); // the slot passed to the next putter
            assertEquals(3, q.getNowait());
            assertTrue(q.isEmpty());
            eventually(() -> q.waitingPutters() == 0);
        });
    }

    /**
     * Races a caller's cancellation against the loop carrying out its get, thousands of times: coroutines of
     * another loop get under random short timeouts, and a plain thread gets while a third thread interrupts it at
     * random. Every item must be received exactly once.
     */
    @Test
    void forwardedGetsGivenUpAtRandomNeverLoseOrDuplicateAnItem() {
        final int items = 3_000;
        run(() -> {
            LoopQueue<Integer> q = LoopQueue.fifo(4);
            ThreadsafeQueue<Integer> view = q.threadsafe();
            int[] received = new int[items]; // written under its own lock: three threads add to it
            AtomicInteger timeouts = new AtomicInteger();
            AtomicInteger interrupts = new AtomicInteger();
            AtomicReference<Thread> plain = new AtomicReference<>();
            AtomicBoolean done = new AtomicBoolean();
            CompletableFuture<Void> remote = onAnotherLoop(() -> {
                Random rnd = new Random(1);
                List<Task<?>> consumers = new ArrayList<>();
                for (int c = 0; c < 3; c++) {
                    consumers.add(spawn(() -> {
                        while (true) {
                            int x;
                            try {
                                x = withTimeout(Duration.ofNanos(rnd.nextInt(300_000)), () -> view.get());
                            } catch (TimedOut e) {
                                timeouts.incrementAndGet();
                                continue;
                            } catch (QueueShutDown end) {
                                return;
                            }
                            synchronized (received) {
                                received[x]++;
                            }
                        }
                    }));
                }
                Spindle.gather(consumers);
                return null;
            });
            CompletableFuture<Void> threadConsumer = onPlainThread(() -> {
                plain.set(Thread.currentThread());
                while (true) {
                    int x;
                    try {
                        x = view.get();
                    } catch (Cancelled c) {
                        Thread.interrupted();
                        interrupts.incrementAndGet();
                        continue;
                    } catch (QueueShutDown end) {
                        return null;
                    }
                    Thread.interrupted(); // an interrupt that came too late to undo the get
                    synchronized (received) {
                        received[x]++;
                    }
                }
            });
            CompletableFuture<Void> chaos = onPlainThread(() -> {
                Random rnd = new Random(2);
                while (!done.get()) {
                    Thread t = plain.get();
                    if (t != null) {
                        t.interrupt();
                    }
                    TimeUnit.MICROSECONDS.sleep(rnd.nextInt(300));
                }
                return null;
            });
            Random rnd = new Random(3);
            for (int i = 0; i < items; i++) {
                q.put(i);
                if (rnd.nextInt(10) == 0) {
                    sleep(Duration.ofNanos(rnd.nextInt(200_000)));
                }
            }
            eventually(q::isEmpty);
            q.shutdown();
            await(remote);
            done.set(true);
            await(chaos);
            await(threadConsumer);
            synchronized (received) {
                for (int x = 0; x < items; x++) {
                    assertEquals(1, received[x], "item " + x);
                }
            }
            assertTrue(timeouts.get() > 0, "no get timed out");
            assertTrue(interrupts.get() > 0, "no get was interrupted");
            assertEquals(0, q.waitingGetters());
        });
    }

    /** The same race for puts: a put given up must not have put its item; the producer then retries it. */
    @Test
    void forwardedPutsGivenUpAtRandomPutEachItemExactlyOnce() {
        final int items = 3_000;
        run(() -> {
            LoopQueue<Integer> q = LoopQueue.fifo(2);
            ThreadsafeQueue<Integer> view = q.threadsafe();
            AtomicInteger timeouts = new AtomicInteger();
            CompletableFuture<Void> producers = onAnotherLoop(() -> {
                Random rnd = new Random(4);
                List<Task<?>> tasks = new ArrayList<>();
                for (int p = 0; p < 3; p++) {
                    int id = p;
                    tasks.add(spawn(() -> {
                        for (int i = id; i < items; i += 3) {
                            while (true) {
                                int item = i;
                                try {
                                    withTimeout(Duration.ofNanos(rnd.nextInt(300_000)), (Coroutine<Void>) () -> {
                                        view.put(item);
                                        return null;
                                    });
                                    break;
                                } catch (TimedOut e) {
                                    timeouts.incrementAndGet(); // not put: try again
                                }
                            }
                        }
                    }));
                }
                Spindle.gather(tasks);
                view.shutdown(); // no more items: this loop's consumer ends once it has taken the rest
                return null;
            });
            int[] received = new int[items];
            Random rnd = new Random(5);
            try {
                while (true) {
                    received[q.get()]++;
                    if (rnd.nextInt(10) == 0) {
                        sleep(Duration.ofNanos(rnd.nextInt(200_000)));
                    }
                }
            } catch (QueueShutDown end) {
                // all taken
            }
            await(producers);
            for (int x = 0; x < items; x++) {
                assertEquals(1, received[x], "item " + x);
            }
            assertTrue(timeouts.get() > 0, "no put timed out");
            eventually(() -> q.waitingPutters() == 0);
        });
    }

    @Test
    void anInterruptedThreadIsRefusedBeforeAnythingIsForwarded() {
        run(() -> {
            LoopQueue<Integer> q = LoopQueue.fifo();
            ThreadsafeQueue<Integer> view = q.threadsafe();
            q.putNowait(1);
            String r = await(onPlainThread(() -> {
                Thread.currentThread().interrupt();
                try {
                    return "got " + view.getNowait();
                } catch (Cancelled c) {
                    return "cancelled, interrupted=" + Thread.currentThread().isInterrupted();
                }
            }));
            assertEquals("cancelled, interrupted=true", r);
            passes(3);
            assertEquals(1, q.size());
        });
    }

    @Test
    void aVirtualThreadThatIsNotACoroutineWaitsWithoutHoldingTheLoop() {
        run(() -> {
            LoopQueue<Integer> q = LoopQueue.fifo(1);
            ThreadsafeQueue<Integer> view = q.threadsafe();
            // started inside a coroutine, it runs on this loop's thread, but it is no coroutine of the loop
            Thread producer = Thread.ofVirtual().start(() -> {
                for (int i = 0; i < 100; i++) {
                    view.put(i);
                }
            });
            for (int i = 0; i < 100; i++) {
                assertEquals(i, q.get());
            }
            producer.join();
        });
    }

    // ---- the other operations from a plain thread -------------------------------------------------------------

    @Test
    void everyOperationWorksFromAPlainThreadWithTheQueuesOwnErrors() {
        run(() -> {
            LoopQueue<Integer> q = LoopQueue.fifo(2);
            ThreadsafeQueue<Integer> view = q.threadsafe();
            CompletableFuture<List<String>> log = onPlainThread(() -> {
                List<String> out = new ArrayList<>();
                out.add("empty " + view.isEmpty() + " max " + view.maxSize());
                out.add(assertThrows(QueueEmpty.class, view::getNowait)
                        .getClass()
                        .getSimpleName());
                view.putNowait(1);
                view.put(2);
                out.add("size " + view.size() + " full " + view.isFull());
                QueueFull full = assertThrows(QueueFull.class, () -> view.putNowait(3));
                out.add(full.getMessage());
                out.add("got " + view.getNowait() + " " + view.get());
                view.taskDone();
                view.taskDone();
                out.add(assertThrows(IllegalStateException.class, view::taskDone)
                        .getMessage());
                view.join();
                view.shutdown();
                out.add(assertThrows(QueueShutDown.class, () -> view.put(4))
                        .getClass()
                        .getSimpleName());
                out.add(assertThrows(QueueShutDown.class, view::get).getClass().getSimpleName());
                out.add(assertThrows(NullPointerException.class, () -> view.put(null))
                        .getMessage());
                return out;
            });
            assertEquals(
                    List.of(
                            "empty true max 2",
                            "QueueEmpty",
                            "size 2 full true",
                            "the queue is full (maxSize=2)",
                            "got 1 2",
                            "taskDone() called more times than there were items put in the queue",
                            "QueueShutDown",
                            "QueueShutDown",
                            "item"),
                    await(log));
        });
    }

    @Test
    void aPlainThreadWaitsInJoinUntilTheLoopsConsumersAreDone() {
        run(() -> {
            LoopQueue<Integer> q = LoopQueue.fifo();
            ThreadsafeQueue<Integer> view = q.threadsafe();
            q.putNowait(1);
            q.putNowait(2);
            CompletableFuture<String> joined = onPlainThread(() -> {
                view.join();
                return "joined";
            });
            eventually(() -> q.waitingJoiners() == 1);
            q.getNowait();
            q.taskDone();
            passes(3);
            assertFalse(joined.isDone());
            q.getNowait();
            q.taskDone();
            assertEquals("joined", await(joined));
        });
    }

    @Test
    void anImmediateShutdownFromAPlainThreadWakesTheLoopsWaiters() {
        run(() -> {
            LoopQueue<Integer> q = LoopQueue.fifo();
            ThreadsafeQueue<Integer> view = q.threadsafe();
            Task<Integer> getter = spawn(() -> q.get());
            passes(2);
            await(onPlainThread(() -> {
                view.shutdown(true);
                return null;
            }));
            assertThrows(QueueShutDown.class, getter::await);
        });
    }

    // ---- binding, closed loops, callbacks of other loops --------------------------------------------------

    @Test
    void aViewNeedsTheQueueBound() throws Exception {
        LoopQueue<Integer> q = LoopQueue.fifo();
        IllegalStateException unbound = assertThrows(IllegalStateException.class, q::threadsafe);
        assertTrue(unbound.getMessage().contains("threadsafe(loop)"), unbound.getMessage());
        try (Loop loop = Loop.create()) {
            ThreadsafeQueue<Integer> view = q.threadsafe(loop); // bound from the thread that will run the loop
            CompletableFuture<Integer> got = onPlainThread(view::get);
            int v = loop.runUntilComplete(() -> {
                q.putNowait(3);
                return await(got);
            });
            assertEquals(3, v);
            assertSame(loop, q.threadsafe().loop()); // bound now: a view can be had anywhere
            assertThrows(IllegalStateException.class, () -> run(() -> q.putNowait(4)));
            try (Loop other = Loop.create()) {
                assertThrows(IllegalStateException.class, () -> q.threadsafe(other));
            }
        }
    }

    @Test
    void aViewOfAQueueWhoseLoopIsClosedFailsClearly() {
        Loop loop = Loop.create();
        LoopQueue<Integer> q = LoopQueue.fifo();
        ThreadsafeQueue<Integer> view = q.threadsafe(loop);
        loop.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> view.putNowait(1));
        assertTrue(e.getMessage().contains("is closed"), e.getMessage());
        assertThrows(IllegalStateException.class, view::get);
        assertThrows(IllegalStateException.class, () -> LoopQueue.fifo().threadsafe(loop));
    }

    @Test
    void aPlainThreadWaitingWhenTheLoopClosesIsToldSo() throws Exception {
        Loop loop = Loop.create();
        LoopQueue<Integer> q = LoopQueue.fifo();
        ThreadsafeQueue<Integer> view = q.threadsafe(loop);
        CompletableFuture<Integer> got = onPlainThread(view::get);
        loop.runUntilComplete(() -> {
            eventually(() -> q.waitingGetters() == 1);
            return null;
        });
        loop.close(); // without Spindle.run's shutdown: the waiting agent is abandoned, not cancelled
        Exception e = assertThrows(Exception.class, got::join);
        assertTrue(e.getCause() instanceof IllegalStateException, e.toString());
        assertTrue(e.getCause().getMessage().contains("is closed"), e.getCause().getMessage());
    }

    @Test
    void aPlainThreadWaitingWhenSpindleRunEndsIsToldSo() {
        AtomicReference<CompletableFuture<Integer>> got = new AtomicReference<>();
        run(() -> {
            LoopQueue<Integer> q = LoopQueue.fifo();
            ThreadsafeQueue<Integer> view = q.threadsafe();
            got.set(onPlainThread(view::get));
            eventually(() -> q.waitingGetters() == 1);
        }); // run cancels the agent waiting for the thread
        Exception e = assertThrows(Exception.class, () -> got.get().join());
        assertTrue(e.getCause() instanceof IllegalStateException, e.toString());
    }

    @Test
    void aCallbackOfAnotherLoopMayNotWaitForTheQueuesLoop() {
        run(() -> {
            LoopQueue<Integer> q = LoopQueue.fifo();
            ThreadsafeQueue<Integer> view = q.threadsafe();
            q.putNowait(1);
            String msg = await(onAnotherLoop(() -> {
                LoopFuture<String> f = Loop.current().createFuture();
                Loop.current().callSoon(() -> {
                    f.setResult(assertThrows(IllegalStateException.class, () -> view.putNowait(2))
                                    .getMessage()
                            + " / size " + view.size());
                });
                return f.await();
            }));
            assertTrue(msg.contains("call it from a coroutine"), msg);
            assertTrue(msg.endsWith("/ size 1"), msg); // snapshots need no waiting
            assertEquals(1, q.size());
        });
    }
}
