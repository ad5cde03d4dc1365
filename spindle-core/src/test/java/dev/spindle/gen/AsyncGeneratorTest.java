package dev.spindle.gen;

import static dev.spindle.Spindle.createFuture;
import static dev.spindle.Spindle.sleep;
import static dev.spindle.Spindle.spawn;
import static dev.spindle.Spindle.withTimeout;
import static dev.spindle.test.TestLoop.runTest;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.Spindle;
import dev.spindle.gen.AsyncGenerator.State;
import dev.spindle.loop.ExceptionContext;
import dev.spindle.loop.Loop;
import dev.spindle.task.Cancelled;
import dev.spindle.task.LoopFuture;
import dev.spindle.task.Task;
import dev.spindle.time.TimedOut;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * {@link AsyncGenerator}: the producer runs as its own coroutine on the consumer's loop, one step per request.
 * Ordering is driven by futures set by hand and by the loop's FIFO passes ({@code sleep(ZERO)} yields one pass);
 * no test looks at the clock.
 */
class AsyncGeneratorTest {
    private static final Duration HOUR = Duration.ofHours(1);

    /** What happened, in order; synchronized because some tests look from other threads. */
    private final List<String> log = Collections.synchronizedList(new ArrayList<>());

    private static void settle() {
        for (int i = 0; i < 5; i++) {
            sleep(Duration.ZERO);
        }
    }

    /** A generator of 0..n-1 that logs each step, and how it ended. */
    private AsyncGenerator<Integer> counting(int n) {
        return AsyncGenerator.of(out -> {
            try {
                for (int i = 0; i < n; i++) {
                    log.add("produce " + i);
                    out.yield(i);
                }
                log.add("body returned");
            } catch (GeneratorExit e) {
                log.add("GeneratorExit");
                throw e;
            } finally {
                sleep(Duration.ZERO); // cleanup may await
                log.add("cleanup done");
            }
        });
    }

    /** The tasks of the current loop other than the caller: leaks show here. */
    private static List<Task<?>> otherTasks() {
        List<Task<?>> all = new ArrayList<>(Loop.current().allTasks());
        all.remove(Task.current());
        return all;
    }

    // ---- producing and consuming ----------------------------------------------------------------------

    @Test
    void valuesAreHandedOverOneAtATimeOnDemand() {
        runTest(() -> {
            AsyncGenerator<Integer> gen = counting(3);
            settle();
            assertEquals(List.of(), log, "nothing runs before the first step");
            assertEquals(State.CREATED, gen.state());
            for (int x : gen) {
                log.add("consume " + x);
                settle(); // the producer does not run ahead while the consumer is busy
            }
            assertEquals(
                    List.of(
                            "produce 0",
                            "consume 0",
                            "produce 1",
                            "consume 1",
                            "produce 2",
                            "consume 2",
                            "body returned",
                            "cleanup done"),
                    log);
            assertEquals(State.CLOSED, gen.state());
            assertFalse(gen.hasNext());
            assertThrows(NoSuchElementException.class, gen::next);
            assertEquals(List.of(), otherTasks(), "the producer task is gone");
        });
    }

    @Test
    void hasNextFetchesOnceAndNextTakesIt() {
        runTest(() -> {
            AsyncGenerator<Integer> gen = counting(2);
            assertTrue(gen.hasNext());
            assertTrue(gen.hasNext());
            assertEquals(State.SUSPENDED, gen.state());
            assertEquals(List.of("produce 0"), log);
            assertEquals(0, gen.next());
            assertEquals(1, gen.next());
            assertEquals(List.of("produce 0", "produce 1"), log);
            gen.close();
        });
    }

    @Test
    void producerAwaitsBetweenYieldsWhileOtherTasksProgress() {
        runTest(() -> {
            List<LoopFuture<String>> gates = List.of(createFuture(), createFuture());
            AsyncGenerator<String> gen = AsyncGenerator.of(out -> {
                for (LoopFuture<String> g : gates) {
                    out.yield(g.await()); // suspends only the producer
                }
            });
            Task<Void> other = spawn(() -> {
                log.add("other runs while the generator waits");
                gates.get(0).setResult("a");
                sleep(Duration.ofMillis(2)); // real timers work inside the generator's step too
                log.add("other again");
                gates.get(1).setResult("b");
            });
            List<String> got = new ArrayList<>();
            for (String s : gen) {
                got.add(s);
            }
            other.await();
            assertEquals(List.of("a", "b"), got);
            assertEquals(List.of("other runs while the generator waits", "other again"), log);
        });
    }

    // real time: a ticker that never parks keeps the loop busy, so virtual time would never move
    @Test
    void producerSleepsAndDoesJdkBlockingCallsBetweenYields() {
        Spindle.run(() -> {
            AsyncGenerator<Integer> gen = AsyncGenerator.of(out -> {
                for (int i = 0; i < 3; i++) {
                    Thread.sleep(1); // a JDK blocking call parks only the producer
                    Spindle.sleep(Duration.ofMillis(1));
                    out.yield(i);
                }
            });
            int[] ticks = {0};
            Task<Void> ticker = spawn(() -> {
                while (true) {
                    ticks[0]++;
                    sleep(Duration.ZERO);
                }
            });
            List<Integer> got = new ArrayList<>();
            for (int x : gen) {
                got.add(x);
            }
            ticker.cancel();
            assertEquals(List.of(0, 1, 2), got);
            assertTrue(ticks[0] > 3, "the loop kept running other tasks: " + ticks[0]);
        });
    }

    @Test
    void anyCoroutineOfTheLoopMayConsumeInTurn() {
        runTest(() -> {
            AsyncGenerator<Integer> gen = counting(3);
            assertEquals(0, gen.next());
            assertEquals(1, spawn(gen::next).await());
            assertEquals(2, gen.next());
            gen.close();
        });
    }

    // ---- send, throwIn, close -------------------------------------------------------------------------

    @Test
    void sendResumesTheYieldWithAValue() {
        runTest(() -> {
            AsyncGenerator<String> echo = AsyncGenerator.of(out -> {
                String got = out.yield("ready");
                while (got != null) {
                    got = out.yield("echo " + got);
                }
                log.add("got null");
            });
            assertThrows(IllegalStateException.class, () -> echo.send("too early"));
            assertEquals(State.CREATED, echo.state(), "a refused send does not start it");
            assertEquals("ready", echo.send(null));
            assertEquals("echo a", echo.send("a"));
            assertEquals("echo b", echo.send("b"));
            assertThrows(NoSuchElementException.class, () -> echo.send(null));
            assertEquals(List.of("got null"), log);
            assertEquals(State.CLOSED, echo.state());
        });
    }

    @Test
    void sendWithAValueKeptByHasNextIsRefused() {
        runTest(() -> {
            AsyncGenerator<Integer> gen = counting(3);
            assertTrue(gen.hasNext());
            assertThrows(IllegalStateException.class, () -> gen.send("x"));
            assertThrows(IllegalStateException.class, () -> gen.throwIn(new RuntimeException()));
            assertEquals(0, gen.next(), "the kept value is still there");
            gen.close();
        });
    }

    @Test
    void throwInIsRaisedAtTheYieldAndMayBeHandled() {
        runTest(() -> {
            AsyncGenerator<String> gen = AsyncGenerator.of(out -> {
                try {
                    out.yield("first");
                } catch (IllegalArgumentException e) {
                    log.add("caught " + e.getMessage());
                    out.yield("recovered");
                }
                out.yield("last");
            });
            assertEquals("first", gen.next());
            assertEquals("recovered", gen.throwIn(new IllegalArgumentException("bad")));
            assertEquals(List.of("caught bad"), log);
            IOException unhandled = new IOException("unhandled");
            Exception e = assertThrows(Exception.class, () -> gen.throwIn(unhandled));
            assertSame(unhandled, e, "an exception the body does not catch comes back unchanged");
            assertEquals(State.CLOSED, gen.state());
            assertFalse(gen.hasNext());
        });
    }

    @Test
    void throwInOnAGeneratorThatNeverStartedDoesNotRunIt() {
        runTest(() -> {
            AsyncGenerator<Integer> gen = counting(3);
            IllegalStateException boom = new IllegalStateException("boom");
            assertSame(boom, assertThrows(IllegalStateException.class, () -> gen.throwIn(boom)));
            assertEquals(State.CLOSED, gen.state());
            assertFalse(gen.hasNext());
            settle();
            assertEquals(List.of(), log);
        });
    }

    @Test
    void closeThrowsGeneratorExitAtTheYieldAndWaitsForTheCleanup() {
        runTest(() -> {
            AsyncGenerator<Integer> gen = AsyncGenerator.of(out -> {
                try {
                    out.yield(1);
                    out.yield(2);
                } catch (GeneratorExit e) {
                    log.add("GeneratorExit");
                    throw e;
                } finally {
                    sleep(Duration.ofMillis(2)); // a real wait in the cleanup
                    log.add("cleanup done");
                }
            });
            assertEquals(1, gen.next());
            gen.close();
            assertEquals(List.of("GeneratorExit", "cleanup done"), log, "close() returned after the cleanup");
            assertEquals(State.CLOSED, gen.state());
            assertFalse(gen.hasNext());
            gen.close(); // idempotent
            assertEquals(List.of(), otherTasks());
        });
    }

    @Test
    void closingNeverStartedGeneratorNeverRunsItEvenFromAPlainThread() {
        AsyncGenerator<Integer> gen = counting(3);
        gen.close(); // the test's own thread: no loop needed
        assertEquals(State.CLOSED, gen.state());
        runTest(() -> {
            assertFalse(gen.hasNext());
            settle();
        });
        assertEquals(List.of(), log);
    }

    @Test
    void closeDropsAValueKeptByHasNext() {
        runTest(() -> {
            AsyncGenerator<Integer> gen = counting(3);
            assertTrue(gen.hasNext());
            gen.close();
            assertFalse(gen.hasNext());
            assertEquals(List.of("produce 0", "GeneratorExit", "cleanup done"), log);
        });
    }

    @Test
    void anExceptionFromTheCleanupComesOutOfClose() {
        runTest(() -> {
            IOException fromCleanup = new IOException("flush failed");
            AsyncGenerator<Integer> gen = AsyncGenerator.of(out -> {
                try {
                    out.yield(1);
                } finally {
                    sleep(Duration.ZERO);
                    throw fromCleanup;
                }
            });
            gen.next();
            assertSame(fromCleanup, assertThrows(Exception.class, gen::close));
            assertEquals(State.CLOSED, gen.state());
        });
    }

    @Test
    void aBodyThatIgnoresGeneratorExitMakesCloseFailAndStaysSuspended() {
        List<ExceptionContext> reported = Collections.synchronizedList(new ArrayList<>());
        runTest(() -> {
            Loop.current().setExceptionHandler((loop, ctx) -> reported.add(ctx));
            AsyncGenerator<Integer> stubborn = AsyncGenerator.of(out -> {
                for (int i = 0; i < 3; i++) {
                    try {
                        out.yield(i);
                    } catch (GeneratorExit ignored) {
                        log.add("ignored");
                    }
                }
                log.add("finished");
            });
            stubborn.next();
            IllegalStateException e = assertThrows(IllegalStateException.class, stubborn::close);
            assertTrue(e.getMessage().contains("ignored GeneratorExit"), e.getMessage());
            assertEquals(State.SUSPENDED, stubborn.state());
            assertThrows(IllegalStateException.class, stubborn::close, "ignored once more");
            assertEquals(State.SUSPENDED, stubborn.state());
        });
        // at shutdown it was closed a third time and finished normally: nothing to report
        assertEquals(List.of("ignored", "ignored", "ignored", "finished"), log);
        assertEquals(List.of(), reported);
    }

    @Test
    void aSecondCloseWaitsForTheFirst() {
        runTest(() -> {
            AsyncGenerator<Integer> gen = AsyncGenerator.of(out -> {
                try {
                    out.yield(1);
                } finally {
                    sleep(Duration.ofMillis(2));
                    log.add("cleanup done");
                }
            });
            gen.next();
            Task<Void> first = spawn(gen::close);
            sleep(Duration.ZERO); // the first close is now waiting for the cleanup
            assertEquals(State.RUNNING, gen.state());
            gen.close();
            assertEquals(List.of("cleanup done"), log, "the second close returned after the cleanup");
            first.await();
        });
    }

    @Test
    void aTimeoutAroundCloseCancelsTheCleanupsWaitAndTheGeneratorEndsClosed() {
        runTest(() -> {
            AsyncGenerator<Integer> gen = AsyncGenerator.of(out -> {
                try {
                    out.yield(1);
                } finally {
                    try {
                        sleep(HOUR);
                    } catch (Cancelled c) {
                        log.add("cleanup wait cancelled");
                        throw c;
                    }
                }
            });
            gen.next();
            assertThrows(TimedOut.class, () -> withTimeout(Duration.ofMillis(2), gen::close));
            assertEquals(List.of("cleanup wait cancelled"), log);
            assertEquals(State.CLOSED, gen.state());
            gen.close(); // nothing left to do
            assertEquals(List.of(), otherTasks());
        });
    }

    @Test
    void aSecondCloserCancelledWhileWaitingLeavesTheFirstCloseUndisturbed() {
        runTest(() -> {
            LoopFuture<Void> gate = createFuture();
            AsyncGenerator<Integer> gen = AsyncGenerator.of(out -> {
                try {
                    out.yield(1);
                } finally {
                    gate.await();
                    log.add("cleanup done");
                }
            });
            gen.next();
            Task<Void> first = spawn(gen::close);
            Task<Void> second = spawn(gen::close);
            settle(); // both wait: the first for the cleanup, the second for the first
            second.cancel();
            assertThrows(Cancelled.class, second::await);
            assertEquals(State.RUNNING, gen.state(), "the cleanup is still running");
            gate.setResult(null);
            first.await();
            assertEquals(List.of("cleanup done"), log);
            assertEquals(State.CLOSED, gen.state());
        });
    }

    // ---- early exit ----------------------------------------------------------------------------------

    @Test
    void breakingOutOfTryWithResourcesRunsTheCleanupIncludingItsAwaits() {
        runTest(() -> {
            try (AsyncGenerator<Integer> gen = counting(100)) {
                for (int x : gen) {
                    if (x == 1) {
                        break;
                    }
                }
            }
            log.add("after the loop");
            assertEquals(List.of("produce 0", "produce 1", "GeneratorExit", "cleanup done", "after the loop"), log);
        });
    }

    @Test
    void anExceptionInTheConsumerBodyClosesTheGeneratorThroughTryWithResources() {
        runTest(() -> {
            IllegalStateException boom = new IllegalStateException("consumer failed");
            AsyncGenerator<Integer> gen = counting(100);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> {
                try (gen) {
                    for (int x : gen) {
                        if (x == 2) {
                            throw boom;
                        }
                    }
                }
            });
            assertSame(boom, e);
            assertEquals(State.CLOSED, gen.state());
            assertTrue(log.containsAll(List.of("GeneratorExit", "cleanup done")), log.toString());
        });
    }

    // ---- errors --------------------------------------------------------------------------------------

    @Test
    void aCheckedExceptionFromTheProducerReachesTheConsumerUnchangedOnce() {
        runTest(() -> {
            IOException boom = new IOException("disk gone");
            AsyncGenerator<Integer> gen = AsyncGenerator.of(out -> {
                out.yield(1);
                sleep(Duration.ZERO);
                throw boom;
            });
            assertEquals(1, gen.next());
            Exception e = assertThrows(Exception.class, gen::hasNext);
            assertSame(boom, e);
            assertEquals(State.CLOSED, gen.state());
            assertFalse(gen.hasNext(), "afterwards it is simply exhausted");
            assertEquals(List.of(), otherTasks());
        });
    }

    @Test
    void aFailureBeforeTheFirstYieldComesOutOfTheFirstStep() {
        runTest(() -> {
            IllegalArgumentException boom = new IllegalArgumentException("bad config");
            AsyncGenerator<Integer> gen = AsyncGenerator.of(out -> {
                throw boom;
            });
            assertSame(boom, assertThrows(IllegalArgumentException.class, gen::next));
        });
    }

    @Test
    void aStepWhileAnotherRunsIsRefused() {
        runTest(() -> {
            LoopFuture<Integer> gate = createFuture();
            AsyncGenerator<Integer> gen = AsyncGenerator.of(out -> out.yield(gate.await()));
            Task<Integer> first = spawn(gen::next);
            settle();
            assertEquals(State.RUNNING, gen.state());
            assertThrows(IllegalStateException.class, gen::hasNext);
            assertThrows(IllegalStateException.class, gen::close);
            gate.setResult(7);
            assertEquals(7, first.await());
            gen.close();
        });
    }

    @Test
    void theBodyCannotIterateItsOwnGenerator() {
        runTest(() -> {
            AtomicReference<AsyncGenerator<Integer>> self = new AtomicReference<>();
            AsyncGenerator<Integer> gen = AsyncGenerator.of(out -> {
                try {
                    self.get().next();
                } catch (IllegalStateException e) {
                    log.add(e.getMessage());
                }
                out.yield(1);
            });
            self.set(gen);
            assertEquals(1, gen.next());
            assertTrue(log.getFirst().contains("already running"), log.toString());
            gen.close();
        });
    }

    @Test
    void yieldFromAnotherTaskIsRefused() {
        runTest(() -> {
            AsyncGenerator<Integer> gen = AsyncGenerator.of(out -> {
                Task<Void> helper = spawn(() -> {
                    out.yield(99);
                });
                try {
                    helper.await();
                } catch (IllegalStateException e) {
                    log.add("refused");
                }
                out.yield(1);
            });
            assertEquals(1, gen.next());
            assertEquals(List.of("refused"), log);
            gen.close();
        });
    }

    // ---- threads and loops ---------------------------------------------------------------------------

    @Test
    void usingAStartedGeneratorFromAPlainThreadOrAnotherLoopFails() throws Exception {
        AtomicReference<AsyncGenerator<Integer>> ref = new AtomicReference<>();
        runTest(() -> {
            AsyncGenerator<Integer> gen = counting(5);
            ref.set(gen);
            gen.next();
            Throwable[] fromOtherLoop = new Throwable[1];
            // another loop, on another thread, while this one runs
            Thread other = Thread.ofPlatform()
                    .start(() -> runTest(() -> {
                        try {
                            gen.next();
                        } catch (IllegalStateException e) {
                            fromOtherLoop[0] = e;
                        }
                    }));
            Spindle.toThread(() -> {
                other.join();
                return null;
            });
            assertInstanceOf(IllegalStateException.class, fromOtherLoop[0]);
            assertTrue(fromOtherLoop[0].getMessage().contains("cannot be used from a coroutine of"));
            gen.close();
        });
        AsyncGenerator<Integer> gen = ref.get();
        IllegalStateException e = assertThrows(IllegalStateException.class, gen::hasNext);
        assertTrue(e.getMessage().contains("must be called from a coroutine"), e.getMessage());
    }

    // ---- cancellation ----------------------------------------------------------------------------------

    @Test
    void cancellingAWaitingConsumerCancelsTheProducersStep() {
        runTest(() -> {
            AsyncGenerator<Integer> gen = AsyncGenerator.of(out -> {
                out.yield(1);
                try {
                    sleep(HOUR);
                } catch (Cancelled c) {
                    log.add("producer cancelled");
                    throw c;
                } finally {
                    sleep(Duration.ZERO); // its cleanup may still await
                    log.add("producer cleanup");
                }
            });
            Task<Integer> consumer = spawn(() -> {
                gen.next();
                return gen.next();
            });
            settle();
            assertEquals(State.RUNNING, gen.state());
            consumer.cancel("stop");
            assertThrows(Cancelled.class, consumer::await);
            assertEquals(List.of("producer cancelled", "producer cleanup"), log, "the consumer waited for it");
            assertEquals(State.CLOSED, gen.state());
            assertFalse(gen.hasNext(), "the producer's cancellation is not thrown a second time");
            assertEquals(List.of(), otherTasks());
        });
    }

    @Test
    void aProducerCancelledBeforeItFirstRanEndsTheGeneratorWithoutRunningTheBody() {
        runTest(() -> {
            AsyncGenerator<Integer> gen = counting(3);
            Task<?> main = Task.current();
            Task<Integer> consumer = spawn(gen::next);
            // runs right after the consumer's first step, which spawned the producer; the producer has not run yet
            Loop.current().callSoon(() -> {
                for (Task<?> t : Loop.current().allTasks()) {
                    if (t != main && t != consumer) {
                        t.cancel();
                    }
                }
            });
            assertThrows(Cancelled.class, consumer::await, "the producer's end reaches the consumer");
            assertEquals(State.CLOSED, gen.state());
            assertEquals(List.of(), log);
            assertEquals(List.of(), otherTasks());
        });
    }

    @Test
    void aValueYieldedInTheSamePassAsTheConsumersCancelIsKept() {
        runTest(() -> {
            LoopFuture<Integer> gate = createFuture();
            AsyncGenerator<Integer> gen = AsyncGenerator.of(out -> {
                out.yield(gate.await());
                out.yield(2);
            });
            Task<Integer> consumer = spawn(gen::next);
            settle();
            // the producer is woken first, so it yields before the consumer runs and sees its cancel
            gate.setResult(1);
            consumer.cancel();
            assertThrows(Cancelled.class, consumer::await);
            assertEquals(State.SUSPENDED, gen.state());
            assertEquals(1, gen.next(), "the value handed over is not lost");
            assertEquals(2, gen.next(), "the producer was not left with a stale cancel");
            gen.close();
        });
    }

    @Test
    void aProducerThatSwallowsTheCancelAndYieldsKeepsTheValueAndIsNotCancelledLater() {
        runTest(() -> {
            AsyncGenerator<String> gen = AsyncGenerator.of(out -> {
                try {
                    sleep(HOUR);
                } catch (Cancelled c) {
                    out.yield("after cancel");
                }
                sleep(Duration.ofMillis(1)); // would throw if a cancel were still pending
                out.yield("later");
            });
            Task<String> consumer = spawn(gen::next);
            settle();
            consumer.cancel();
            assertThrows(Cancelled.class, consumer::await);
            assertEquals(State.SUSPENDED, gen.state());
            assertEquals("after cancel", gen.next());
            assertEquals("later", gen.next());
            gen.close();
        });
    }

    @Test
    void aTimeoutAroundNextCancelsTheStepAndEndsTheGenerator() {
        runTest(() -> {
            AsyncGenerator<Integer> gen = AsyncGenerator.of(out -> {
                try {
                    sleep(HOUR);
                    out.yield(1);
                } finally {
                    log.add("producer finally");
                }
            });
            assertThrows(TimedOut.class, () -> withTimeout(Duration.ofMillis(2), gen::next));
            assertEquals(List.of("producer finally"), log);
            assertEquals(State.CLOSED, gen.state());
            assertEquals(List.of(), otherTasks());
        });
    }

    @Test
    void aConsumerWithAPendingCancelDoesNotStartAStep() {
        runTest(() -> {
            AsyncGenerator<Integer> gen = counting(3);
            Task<Integer> consumer = spawn(() -> {
                Task.current().cancel();
                return gen.next();
            });
            assertThrows(Cancelled.class, consumer::await);
            assertEquals(State.CREATED, gen.state());
            assertEquals(List.of(), log);
        });
    }

    @Test
    void closeInACancelledCoroutineStillRunsTheCleanupWhoseAwaitsSeeTheCancel() {
        runTest(() -> {
            AsyncGenerator<Integer> gen = AsyncGenerator.of(out -> {
                try {
                    out.yield(1);
                } catch (GeneratorExit e) {
                    log.add("GeneratorExit");
                    throw e;
                } finally {
                    try {
                        sleep(HOUR);
                    } catch (Cancelled c) {
                        log.add("cleanup cancelled");
                    }
                }
            });
            gen.next();
            Task<Void> closer = spawn(() -> {
                Task.current().cancel();
                gen.close();
            });
            assertThrows(Cancelled.class, closer::await);
            assertEquals(List.of("GeneratorExit", "cleanup cancelled"), log);
            assertEquals(State.CLOSED, gen.state());
        });
    }

    @Test
    void aCancelAimedAtASuspendedProducerWaitsForItsNextStep() {
        runTest(() -> {
            AsyncGenerator<Integer> gen = counting(3);
            gen.next();
            Task<?> producer = otherTasks().getFirst();
            producer.cancel();
            settle();
            assertEquals(State.SUSPENDED, gen.state(), "a suspended producer runs nothing that could be cancelled");
            assertThrows(Cancelled.class, gen::next, "the cancel wins when it resumes");
            assertEquals(State.CLOSED, gen.state());
        });
    }

    // ---- finalisation --------------------------------------------------------------------------------

    // Spindle.run itself: what it does with generators left open
    @Test
    void runFinalisesGeneratorsLeftOpenWithGeneratorExitNotACancel() {
        AsyncGenerator<Integer> neverStarted = counting(1);
        Integer first = Spindle.run(() -> {
            AsyncGenerator<Integer> open = AsyncGenerator.of(out -> {
                try {
                    out.yield(1);
                    out.yield(2);
                } catch (GeneratorExit e) {
                    log.add("GeneratorExit");
                    throw e;
                } catch (Cancelled c) {
                    log.add("cancelled!");
                    throw c;
                } finally {
                    sleep(Duration.ofMillis(1)); // not cancelled: shutdown closes rather than cancels
                    log.add("cleanup done");
                }
            });
            spawn(() -> {
                try {
                    sleep(HOUR);
                } finally {
                    log.add("other task cancelled");
                }
            });
            neverStarted.hashCode();
            settle();
            return open.next(); // returns with the generator suspended
        });
        assertEquals(1, first);
        assertEquals(List.of("other task cancelled", "GeneratorExit", "cleanup done"), log);
        assertEquals(State.CREATED, neverStarted.state());
    }

    @Test
    void closingALoopFinalisesItsOpenGenerators() {
        Loop loop = Loop.create();
        AsyncGenerator<Integer> gen = counting(5);
        loop.runUntilComplete(() -> gen.next());
        assertEquals(State.SUSPENDED, gen.state());
        loop.close();
        assertEquals(State.CLOSED, gen.state());
        assertEquals(List.of("produce 0", "GeneratorExit", "cleanup done"), log);
    }

    @Test
    void shutdownAsyncGeneratorsFromACoroutineClosesThemConcurrentlyAndReportsFailures() {
        List<ExceptionContext> reported = Collections.synchronizedList(new ArrayList<>());
        runTest(() -> {
            Loop.current().setExceptionHandler((loop, ctx) -> reported.add(ctx));
            IOException boom = new IOException("cleanup failed");
            List<AsyncGenerator<Integer>> gens = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                int n = i;
                AsyncGenerator<Integer> g = AsyncGenerator.of(out -> {
                    try {
                        out.yield(n);
                    } finally {
                        log.add("start " + n);
                        sleep(Duration.ofMillis(1));
                        log.add("end " + n);
                        if (n == 1) {
                            throw boom;
                        }
                    }
                });
                g.next();
                gens.add(g);
            }
            Loop.current().shutdownAsyncGenerators();
            for (AsyncGenerator<Integer> g : gens) {
                assertEquals(State.CLOSED, g.state());
            }
            // concurrently: every cleanup started before any ended
            assertEquals(List.of("start 0", "start 1", "start 2"), log.subList(0, 3));
            assertEquals(1, reported.size());
            assertSame(boom, reported.getFirst().exception());
        });
    }

    @Test
    void shutdownAsyncGeneratorsFromACallbackIsRefused() {
        runTest(() -> {
            LoopFuture<Throwable> got = createFuture();
            Loop loop = Loop.current();
            loop.callSoon(() -> {
                try {
                    loop.shutdownAsyncGenerators();
                    got.setResult(null);
                } catch (IllegalStateException e) {
                    got.setResult(e);
                }
            });
            assertInstanceOf(IllegalStateException.class, got.await());
        });
    }

    @Test
    void aGeneratorDroppedWhileSuspendedIsClosedWhenCollected() {
        runTest(() -> {
            startAndDrop();
            for (int i = 0; i < 200 && !log.contains("cleanup done"); i++) {
                System.gc();
                sleep(Duration.ofMillis(5));
            }
            assertEquals(List.of("produce 0", "GeneratorExit", "cleanup done"), log);
            assertEquals(List.of(), otherTasks());
        });
    }

    private void startAndDrop() {
        AsyncGenerator<Integer> gen = counting(10);
        assertEquals(0, gen.next());
    }

    @Test
    void nestedGeneratorsAreBothFinalisedAtShutdown() {
        runTest(() -> {
            AsyncGenerator<Integer> outer = AsyncGenerator.of(out -> {
                try (AsyncGenerator<Integer> inner = counting(10)) {
                    for (int x : inner) {
                        out.yield(x * 10);
                    }
                } finally {
                    log.add("outer cleanup");
                }
            });
            assertEquals(0, outer.next());
            assertNull(null);
        });
        assertTrue(log.contains("outer cleanup"), log.toString());
        assertTrue(log.contains("cleanup done"), log.toString());
    }
}
