package dev.spindle.task;

import static dev.spindle.Spindle.asCompleted;
import static dev.spindle.Spindle.await;
import static dev.spindle.Spindle.createFuture;
import static dev.spindle.Spindle.currentTask;
import static dev.spindle.Spindle.gather;
import static dev.spindle.Spindle.gatherOutcomes;
import static dev.spindle.Spindle.shield;
import static dev.spindle.Spindle.sleep;
import static dev.spindle.Spindle.spawn;
import static dev.spindle.Spindle.toThread;
import static dev.spindle.Spindle.waitFor;
import static dev.spindle.Spindle.waitTasks;
import static dev.spindle.test.TestLoop.runTest;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.Spindle;
import dev.spindle.loop.ExceptionContext;
import dev.spindle.loop.Loop;
import dev.spindle.test.TestLoop;
import dev.spindle.time.TimedOut;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * asyncio's module-level functions ({@code gather}, {@code wait}, {@code wait_for}, {@code as_completed},
 * {@code shield}, {@code to_thread}, awaiting concurrent futures) as {@link Tasks} implements them. Order is
 * controlled by futures set by hand and by the loop's FIFO passes; sleeps are only used where a real wait is the
 * point, and no test looks at the wall clock.
 */
class TasksTest {
    private static final Duration HOUR = Duration.ofHours(1);

    /** Events in the order they happened; synchronized because toThread work runs on other threads. */
    private final List<String> events = Collections.synchronizedList(new ArrayList<>());

    /** What reached the loop's exception handler (unretrieved failures, failing callbacks...). */
    private final List<ExceptionContext> reported = Collections.synchronizedList(new ArrayList<>());

    private static Duration ms(long n) {
        return Duration.ofMillis(n);
    }

    /** Sends the current loop's unhandled failures to {@link #reported}; they come at the latest when it closes. */
    private void collectUnhandled() {
        Loop.current().setExceptionHandler((loop, ctx) -> reported.add(ctx));
    }

    private List<String> reportedMessages() {
        synchronized (reported) {
            return reported.stream()
                    .map(c -> c.message() + ": " + c.exception())
                    .toList();
        }
    }

    /** Lets every ready task and callback run a few passes. */
    private static void settle() {
        for (int i = 0; i < 5; i++) {
            sleep(Duration.ZERO);
        }
    }

    @Test
    void aFailureNobodyRetrievesIsReported_controlForTheTestsBelow() {
        runTest(() -> {
            collectUnhandled();
            Task<String> lost = spawn(() -> {
                throw new IOException("lost");
            });
            waitTasks(List.of(lost), ReturnWhen.ALL_COMPLETED); // waits without retrieving
        });
        assertEquals(1, reported.size(), reportedMessages()::toString);
        assertInstanceOf(IOException.class, reported.get(0).exception());
    }

    @Nested
    class Gather {
        @Test
        void resultsComeInArgumentOrderWhateverTheCompletionOrder() {
            List<String> completion = new ArrayList<>();
            List<String> results = runTest(() -> {
                LoopFuture<String> a = createFuture();
                LoopFuture<String> b = createFuture();
                LoopFuture<String> c = createFuture();
                for (LoopFuture<String> f : List.of(a, b, c)) {
                    f.addDoneCallback(done -> completion.add(done.result()));
                }
                spawn(() -> {
                    c.setResult("c");
                    sleep(Duration.ZERO);
                    b.setResult("b");
                    sleep(Duration.ZERO);
                    a.setResult("a");
                });
                return gather(a, b, c);
            });
            assertEquals(List.of("c", "b", "a"), completion);
            assertEquals(List.of("a", "b", "c"), results);
        }

        @Test
        void gatherOfTasksWaitsForAllOfThem() {
            List<Integer> results = runTest(() -> {
                List<Task<Integer>> tasks = new ArrayList<>();
                for (int i = 0; i < 5; i++) {
                    int n = i;
                    tasks.add(spawn(() -> {
                        sleep(ms(5 - n)); // the last finishes first
                        return n * n;
                    }));
                }
                List<Integer> r = gather(tasks);
                for (Task<Integer> t : tasks) {
                    assertTrue(t.isDone());
                }
                return r;
            });
            assertEquals(List.of(0, 1, 4, 9, 16), results);
        }

        @Test
        void theSameFutureTwiceGivesItsResultTwice() {
            List<String> r = runTest(() -> {
                Task<String> t = spawn(() -> {
                    sleep(ms(1));
                    return "t";
                });
                return gather(t, t);
            });
            assertEquals(List.of("t", "t"), r);
        }

        @Test
        void aTimeoutAroundGatherCancelsTheChildrenAndWaitsForThem() {
            runTest(() -> {
                List<Task<String>> children = new ArrayList<>();
                for (String name : List.of("a", "b")) {
                    children.add(spawn(() -> {
                        try {
                            sleep(HOUR);
                            return name;
                        } finally {
                            sleep(ms(1));
                            events.add(name + " cleaned up");
                        }
                    }));
                }
                assertThrows(TimedOut.class, () -> Spindle.withTimeout(ms(5), () -> gather(children)));
                events.add("TimedOut");
                for (Task<String> c : children) {
                    assertTrue(c.isCancelled());
                }
                assertEquals(0, currentTask().cancelling());
            });
            assertEquals(3, events.size(), events::toString);
            assertEquals(Set.of("a cleaned up", "b cleaned up"), Set.copyOf(events.subList(0, 2)));
            assertEquals("TimedOut", events.get(2));
        }

        @Test
        void gatherOfNothingIsEmpty() {
            assertEquals(List.of(), runTest(() -> gather(List.<LoopFuture<String>>of())));
        }

        @Test
        void firstFailureInCompletionOrderIsRethrownUnchangedEvenWhenChecked() {
            IOException first = new IOException("first to fail");
            IOException second = new IOException("second to fail");
            Throwable thrown = runTest(() -> {
                LoopFuture<String> f1 = createFuture();
                LoopFuture<String> f2 = createFuture();
                LoopFuture<String> f3 = createFuture();
                spawn(() -> {
                    f2.setException(first); // the second argument fails first
                    sleep(Duration.ZERO);
                    f1.setException(second);
                    f3.setResult("ok");
                });
                try {
                    gather(f1, f2, f3);
                    return null;
                } catch (Throwable e) {
                    return e;
                }
            });
            assertSame(first, thrown);
        }

        @Test
        void aCancelledChildMakesGatherThrowCancelled() {
            runTest(() -> {
                Task<String> ok = spawn(() -> "ok");
                Task<String> doomed = spawn(() -> {
                    sleep(HOUR);
                    return "never";
                });
                sleep(Duration.ZERO);
                doomed.cancel();
                assertThrows(Cancelled.class, () -> gather(ok, doomed));
                assertFalse(currentTask().isCancelled());
                assertEquals(0, currentTask().cancelling());
            });
        }

        @Test
        void afterAFailureTheOthersKeepRunningAndTheirLaterFailuresAreNotReportedAsUnretrieved() {
            runTest(() -> {
                collectUnhandled();
                LoopFuture<Void> gate = createFuture();
                Task<String> fast = spawn(() -> {
                    throw new IllegalStateException("fast");
                });
                Task<String> slow = spawn(() -> {
                    gate.await();
                    events.add("slow fails");
                    throw new IOException("slow");
                });
                Task<String> slowOk = spawn(() -> {
                    gate.await();
                    events.add("slowOk finishes");
                    return "fine";
                });
                assertThrows(IllegalStateException.class, () -> gather(fast, slow, slowOk));
                assertFalse(slow.isDone(), "gather cancels nothing when a future fails");
                assertFalse(slowOk.isDone());
                gate.setResult(null);
                waitTasks(List.of(slow, slowOk), ReturnWhen.ALL_COMPLETED); // does not retrieve anything
                assertTrue(slow.isFailed());
                assertEquals("fine", slowOk.result());
            });
            assertEquals(List.of("slow fails", "slowOk finishes"), events);
            assertEquals(List.of(), reportedMessages(), "gather already reported a failure; later ones are retrieved");
        }

        @Test
        void cancellingTheGathererCancelsAllChildrenAndWaitsForThemBeforeTheCancelledReachesIt() {
            runTest(() -> {
                LoopFuture<Void> cleanupGate = createFuture();
                List<Task<String>> children = new ArrayList<>();
                for (String name : List.of("a", "b")) {
                    children.add(spawn(() -> {
                        try {
                            sleep(HOUR);
                            return name;
                        } finally {
                            cleanupGate.await(); // a cleanup that takes a while
                            events.add(name + " cleaned up");
                        }
                    }));
                }
                Task<String> done = spawn(() -> "already done");
                Task<List<String>> gatherer = spawn(() -> {
                    List<Task<String>> all = new ArrayList<>(children);
                    all.add(done);
                    try {
                        return gather(all);
                    } catch (Cancelled c) {
                        events.add("gatherer cancelled");
                        throw c;
                    }
                });
                settle();
                assertTrue(gatherer.cancel("stop"));
                settle();
                assertFalse(gatherer.isDone(), "the gatherer must wait for its children's cleanup");
                events.add("cleanup allowed");
                cleanupGate.setResult(null);
                Cancelled c = assertThrows(Cancelled.class, gatherer::await);
                assertEquals("stop", c.getMessage());
                assertTrue(gatherer.isCancelled());
                for (Task<String> child : children) {
                    assertTrue(child.isCancelled());
                    assertEquals(
                            "stop", assertThrows(Cancelled.class, child::result).getMessage());
                }
                assertEquals("already done", done.result());
            });
            assertEquals(List.of("cleanup allowed", "a cleaned up", "b cleaned up", "gatherer cancelled"), events);
        }
    }

    @Nested
    class GatherOutcomes {
        @Test
        void reportsSuccessFailureAndCancellationInArgumentOrder() {
            IOException boom = new IOException("boom");
            List<Outcome<Object>> outcomes = runTest(() -> {
                collectUnhandled();
                Task<Object> late = spawn(() -> {
                    sleep(ms(2));
                    return "late";
                });
                Task<Object> ok = spawn(() -> 1);
                Task<Object> bad = spawn(() -> {
                    throw boom;
                });
                Task<Object> cancelled = spawn(() -> {
                    sleep(HOUR);
                    return "never";
                });
                LoopFuture<Object> cancelledByHand = createFuture();
                cancelledByHand.cancel("by hand");
                sleep(Duration.ZERO);
                cancelled.cancel("enough");
                return gatherOutcomes(late, ok, bad, cancelled, cancelledByHand);
            });
            assertEquals(5, outcomes.size());
            assertEquals(new Outcome.Success<>("late"), outcomes.get(0), "a failure does not stop the others");
            assertEquals(new Outcome.Success<>(1), outcomes.get(1));
            Outcome.Failure<Object> failure = assertInstanceOf(Outcome.Failure.class, outcomes.get(2));
            assertSame(boom, failure.exception());
            assertSame(boom, assertThrows(IOException.class, outcomes.get(2)::getOrThrow));
            Outcome.Failure<Object> cancelled = assertInstanceOf(Outcome.Failure.class, outcomes.get(3));
            assertInstanceOf(Cancelled.class, cancelled.exception());
            assertEquals("enough", cancelled.exception().getMessage());
            Outcome.Failure<Object> byHand = assertInstanceOf(Outcome.Failure.class, outcomes.get(4));
            assertEquals(
                    "by hand",
                    assertInstanceOf(Cancelled.class, byHand.exception()).getMessage());
            assertEquals(List.of(), reportedMessages(), "gatherOutcomes retrieves the failures it returns");
        }

        @Test
        void cancellingTheCallerCancelsTheChildrenAndWaitsForThem() {
            runTest(() -> {
                Task<String> child = spawn(() -> {
                    try {
                        sleep(HOUR);
                        return "never";
                    } finally {
                        sleep(ms(1));
                        events.add("child cleaned up");
                    }
                });
                Task<List<Outcome<String>>> caller = spawn(() -> gatherOutcomes(child));
                settle();
                caller.cancel();
                assertThrows(Cancelled.class, caller::await);
                events.add("caller cancelled");
                assertTrue(child.isCancelled());
            });
            assertEquals(List.of("child cleaned up", "caller cancelled"), events);
        }
    }

    @Nested
    class WaitTasks {
        @Test
        void firstCompletedReturnsAsSoonAsOneIsDoneAndCancelsNothing() {
            runTest(() -> {
                LoopFuture<String> f1 = createFuture();
                LoopFuture<String> f2 = createFuture();
                LoopFuture<String> f3 = createFuture();
                Loop.current().callSoon(() -> f2.setResult("two"));
                var r = waitTasks(List.of(f1, f2, f3), ReturnWhen.FIRST_COMPLETED);
                assertEquals(List.of(f2), List.copyOf(r.done()));
                assertEquals(List.of(f1, f3), List.copyOf(r.pending()));
                assertFalse(f1.isDone());
                assertFalse(f3.isDone());
            });
        }

        @Test
        void firstCompletedCountsACancellation() {
            runTest(() -> {
                LoopFuture<String> f1 = createFuture();
                LoopFuture<String> f2 = createFuture();
                Loop.current().callSoon(() -> f1.cancel());
                var r = waitTasks(List.of(f1, f2), ReturnWhen.FIRST_COMPLETED);
                assertEquals(Set.of(f1), r.done());
                assertEquals(Set.of(f2), r.pending());
            });
        }

        @Test
        void firstExceptionIgnoresSuccessesAndCancellationsAndReturnsOnTheFirstFailure() {
            runTest(() -> {
                Loop loop = Loop.current();
                LoopFuture<String> f1 = createFuture();
                LoopFuture<String> f2 = createFuture();
                LoopFuture<String> f3 = createFuture();
                LoopFuture<String> f4 = createFuture();
                IOException boom = new IOException("boom");
                loop.callSoon(() -> {
                    f1.setResult("one");
                    f4.cancel();
                    loop.callSoon(() -> loop.callSoon(() -> f2.setException(boom)));
                });
                var r = waitTasks(List.of(f1, f2, f3, f4), ReturnWhen.FIRST_EXCEPTION);
                assertEquals(List.of(f1, f2, f4), List.copyOf(r.done()), "done keeps the given order");
                assertEquals(List.of(f3), List.copyOf(r.pending()));
                assertFalse(f3.isCancelled());
                assertSame(boom, f2.exception());
            });
        }

        @Test
        void firstExceptionWithoutFailuresWaitsForAll() {
            runTest(() -> {
                Loop loop = Loop.current();
                LoopFuture<String> f1 = createFuture();
                LoopFuture<String> f2 = createFuture();
                loop.callSoon(() -> {
                    f1.setResult("one");
                    loop.callSoon(() -> f2.setResult("two"));
                });
                var r = waitTasks(List.of(f1, f2), ReturnWhen.FIRST_EXCEPTION);
                assertEquals(List.of(f1, f2), List.copyOf(r.done()));
                assertTrue(r.pending().isEmpty());
            });
        }

        @Test
        void allCompletedWaitsForEveryOneEvenAfterAFailure() {
            runTest(() -> {
                Task<String> bad = spawn(() -> {
                    throw new IllegalStateException("bad");
                });
                Task<String> slow = spawn(() -> {
                    sleep(ms(3));
                    return "slow";
                });
                Task<String> quick = spawn(() -> "quick");
                var r = waitTasks(List.of(bad, slow, quick), ReturnWhen.ALL_COMPLETED);
                assertEquals(List.of(bad, slow, quick), List.copyOf(r.done()));
                assertTrue(r.pending().isEmpty());
                assertEquals("slow", slow.result());
                assertInstanceOf(IllegalStateException.class, bad.exception());
            });
        }

        @Test
        void aTimeoutReturnsWhatIsDoneAndLeavesThePendingRunning() {
            runTest(() -> {
                LoopFuture<String> gate = createFuture();
                Task<String> quick = spawn(() -> "quick");
                Task<String> slow = spawn(() -> gate.await());
                var r = waitTasks(List.of(quick, slow), ReturnWhen.ALL_COMPLETED, ms(5));
                assertEquals(List.of(quick), List.copyOf(r.done()));
                assertEquals(List.of(slow), List.copyOf(r.pending()));
                assertFalse(slow.isDone(), "waitTasks cancels nothing on timeout");
                gate.setResult("slow");
                assertEquals("slow", slow.await());
                assertEquals(0, currentTask().cancelling());
            });
        }

        @Test
        void aTimeoutWithNothingDoneReturnsAllPending() {
            runTest(() -> {
                LoopFuture<String> f = createFuture();
                var r = waitTasks(List.of(f), ReturnWhen.FIRST_COMPLETED, ms(1));
                assertTrue(r.done().isEmpty());
                assertEquals(Set.of(f), r.pending());
                assertFalse(f.isDone());
            });
        }

        @Test
        void cancellingTheWaiterLeavesTheFuturesRunning() {
            runTest(() -> {
                LoopFuture<String> gate = createFuture();
                Task<String> worker = spawn(() -> gate.await());
                Task<WaitResult<Task<String>>> waiter =
                        spawn(() -> waitTasks(List.of(worker), ReturnWhen.ALL_COMPLETED));
                settle();
                waiter.cancel();
                assertThrows(Cancelled.class, waiter::await);
                assertFalse(worker.isDone());
                gate.setResult("w");
                assertEquals("w", worker.await());
            });
        }

        @Test
        void noFuturesIsAnError() {
            runTest(() -> {
                assertThrows(
                        IllegalArgumentException.class,
                        () -> waitTasks(List.<LoopFuture<String>>of(), ReturnWhen.ALL_COMPLETED));
            });
        }
    }

    @Nested
    class WaitFor {
        @Test
        void returnsTheValueWhenInTime() {
            runTest(() -> {
                Task<String> t = spawn(() -> {
                    sleep(ms(1));
                    return "v";
                });
                assertEquals("v", waitFor(HOUR, t));
                assertEquals("w", waitFor(HOUR, () -> "w"));
                LoopFuture<String> done = createFuture();
                done.setResult("x");
                assertEquals("x", waitFor(Duration.ZERO, done), "a done future is returned even with no time");
            });
        }

        @Test
        void aFailureIsRethrownUnchanged() {
            IOException boom = new IOException("boom");
            runTest(() -> {
                Task<String> t = spawn(() -> {
                    throw boom;
                });
                assertSame(boom, assertThrows(IOException.class, () -> waitFor(HOUR, t)));
            });
        }

        @Test
        void onTimeoutCancelsTheInnerTaskWaitsForItsCleanupAndThrowsTimedOut() {
            runTest(() -> {
                Task<String> inner = spawn(() -> {
                    try {
                        sleep(HOUR);
                        return "never";
                    } finally {
                        sleep(ms(3)); // cleanup that itself waits
                        events.add("inner finally done");
                    }
                });
                TimedOut t = assertThrows(TimedOut.class, () -> waitFor(ms(5), inner));
                events.add("TimedOut seen");
                assertInstanceOf(Cancelled.class, t.getCause());
                assertTrue(inner.isCancelled());
                assertEquals(0, currentTask().cancelling(), "the timeout's cancellation was withdrawn");
                sleep(ms(1)); // the caller goes on undisturbed
                events.add("caller went on");
            });
            assertEquals(List.of("inner finally done", "TimedOut seen", "caller went on"), events);
        }

        @Test
        void onTimeoutABareFutureIsCancelled() {
            runTest(() -> {
                LoopFuture<String> f = createFuture();
                assertThrows(TimedOut.class, () -> waitFor(ms(2), f));
                assertTrue(f.isCancelled());
            });
        }

        @Test
        void aTaskThatIgnoresTheCancelIsWaitedForAndItsValueReturned() {
            // asyncio (3.12+, gh-86296): if the inner task suppresses the cancellation and returns a value,
            // wait_for returns that value.
            String r = runTest(() -> {
                Task<String> stubborn = spawn(() -> {
                    try {
                        sleep(HOUR);
                        return "slept";
                    } catch (Cancelled c) {
                        events.add("inner ignored the cancel");
                        sleep(ms(3));
                        events.add("inner finished anyway");
                        return "finished anyway";
                    }
                });
                String v = waitFor(ms(5), stubborn);
                events.add("waitFor returned");
                assertEquals(0, currentTask().cancelling());
                sleep(ms(1)); // no cancellation left pending
                return v;
            });
            assertEquals("finished anyway", r);
            assertEquals(List.of("inner ignored the cancel", "inner finished anyway", "waitFor returned"), events);
        }

        @Test
        void aCancelFromOutsideIsCancelledNotTimedOut() {
            runTest(() -> {
                Task<String> inner = spawn(() -> {
                    sleep(HOUR);
                    return "never";
                });
                Task<String> caller = spawn(() -> waitFor(HOUR, inner));
                settle();
                caller.cancel("from outside");
                Cancelled c = assertThrows(Cancelled.class, caller::await);
                assertEquals("from outside", c.getMessage());
                assertTrue(inner.isCancelled());
            });
        }

        @Test
        void aCancelFromOutsideIsNotSwallowedByAnInnerTaskThatIgnoresIt() {
            runTest(() -> {
                Task<String> stubborn = spawn(() -> {
                    try {
                        sleep(HOUR);
                        return "slept";
                    } catch (Cancelled c) {
                        return "ignored";
                    }
                });
                Task<String> caller = spawn(() -> waitFor(HOUR, stubborn));
                settle();
                caller.cancel();
                assertThrows(Cancelled.class, caller::await);
                assertEquals("ignored", stubborn.result());
            });
        }
    }

    @Nested
    class AsCompleted {
        @Test
        void yieldsFuturesInCompletionOrder() {
            List<String> order = runTest(() -> {
                Loop loop = Loop.current();
                LoopFuture<String> a = createFuture();
                LoopFuture<String> b = createFuture();
                LoopFuture<String> c = createFuture();
                loop.callSoon(() -> {
                    c.setResult("c");
                    loop.callSoon(() -> {
                        a.setResult("a");
                        loop.callSoon(() -> b.setResult("b"));
                    });
                });
                List<String> seen = new ArrayList<>();
                for (LoopFuture<String> f : asCompleted(List.of(a, b, c))) {
                    assertTrue(f.isDone());
                    seen.add(f.result());
                }
                return seen;
            });
            assertEquals(List.of("c", "a", "b"), order);
        }

        @Test
        void aTimeoutThrowsTimedOutAndLeavesTheRestRunning() {
            runTest(() -> {
                Task<String> fast = spawn(() -> "fast");
                Task<String> slow = spawn(() -> {
                    sleep(HOUR);
                    return "slow";
                });
                var it = asCompleted(List.of(slow, fast), ms(5)).iterator();
                assertTrue(it.hasNext());
                assertSame(fast, it.next());
                assertTrue(it.hasNext());
                assertThrows(TimedOut.class, it::next);
                assertFalse(slow.isDone(), "asCompleted cancels nothing");
                assertEquals(0, currentTask().cancelling());
                slow.cancel();
            });
        }
    }

    @Nested
    class Shield {
        @Test
        void cancellingTheAwaitingTaskLeavesTheInnerRunningToCompletion() {
            runTest(() -> {
                LoopFuture<String> gate = createFuture();
                Task<String> inner = spawn(() -> {
                    String v = gate.await();
                    events.add("inner completed");
                    return v;
                });
                Task<String> outer = spawn(() -> shield(inner).await());
                settle();
                outer.cancel();
                assertThrows(Cancelled.class, outer::await);
                events.add("outer cancelled");
                assertTrue(outer.isCancelled());
                assertFalse(inner.isDone(), "the shielded task keeps running");
                gate.setResult("saved");
                assertEquals("saved", inner.await());
                assertFalse(inner.isCancelled());
            });
            assertEquals(List.of("outer cancelled", "inner completed"), events);
        }

        @Test
        void cancellingTheShieldItselfLeavesTheInnerRunning() {
            runTest(() -> {
                Task<String> inner = spawn(() -> {
                    sleep(ms(1));
                    return "inner";
                });
                LoopFuture<String> s = shield(inner);
                assertTrue(s.cancel());
                assertEquals("inner", inner.await());
                assertTrue(s.isCancelled());
            });
        }

        @Test
        void theShieldCompletesLikeTheInner() {
            IOException boom = new IOException("boom");
            runTest(() -> {
                Task<String> ok = spawn(() -> "ok");
                Task<String> bad = spawn(() -> {
                    throw boom;
                });
                Task<String> cancelled = spawn(() -> {
                    sleep(HOUR);
                    return "never";
                });
                LoopFuture<String> sOk = shield(ok);
                LoopFuture<String> sBad = shield(bad);
                LoopFuture<String> sCancelled = shield(cancelled);
                sleep(Duration.ZERO);
                cancelled.cancel();
                assertEquals("ok", sOk.await());
                assertSame(boom, assertThrows(IOException.class, sBad::await));
                assertThrows(Cancelled.class, sCancelled::await);
                assertTrue(sCancelled.isCancelled());
            });
        }

        @Test
        void shieldOfADoneFutureAwaitsAtOnce() {
            IllegalStateException boom = new IllegalStateException("boom");
            runTest(() -> {
                LoopFuture<String> done = createFuture();
                done.setResult("x");
                assertEquals("x", shield(done).await());
                LoopFuture<String> failed = createFuture();
                failed.setException(boom);
                assertSame(boom, assertThrows(IllegalStateException.class, () -> shield(failed)
                        .await()));
                // awaiting a done future is not a cancellation point, so even a cancelled task gets the value
                Task<String> t = spawn(() -> {
                    currentTask().cancel();
                    String v = shield(done).await();
                    events.add("got " + v);
                    return v;
                });
                assertThrows(Cancelled.class, t::await, "the pending cancel lands when the task ends");
                assertEquals(List.of("got x"), events);
            });
        }

        @Test
        void afterTheShieldIsCancelledALaterInnerFailureIsNotReportedAsUnretrieved() {
            runTest(() -> {
                collectUnhandled();
                LoopFuture<Void> gate = createFuture();
                Task<String> inner = spawn(() -> {
                    gate.await();
                    throw new IOException("nobody is listening");
                });
                Task<String> outer = spawn(() -> shield(inner).await());
                settle();
                outer.cancel();
                assertThrows(Cancelled.class, outer::await);
                gate.setResult(null);
                waitTasks(List.of(inner), ReturnWhen.ALL_COMPLETED);
                assertTrue(inner.isFailed());
            });
            assertEquals(List.of(), reportedMessages());
        }
    }

    @Nested
    class ToThread {
        private static final ContextVar<String> REQUEST_ID = new ContextVar<>("request_id", "-");

        @Test
        void returnsTheValueFromAPlainThreadThatSeesTheCallersContext() {
            Thread loopThread = Thread.currentThread(); // Spindle.run runs the loop on the calling thread
            AtomicReference<Thread> worker = new AtomicReference<>();
            String r = runTest(() -> {
                REQUEST_ID.set("r-42");
                return toThread(() -> {
                    worker.set(Thread.currentThread());
                    return "seen " + REQUEST_ID.get();
                });
            });
            assertEquals("seen r-42", r);
            assertNotNull(worker.get());
            assertNotSame(loopThread, worker.get());
            assertFalse(worker.get().isVirtual(), "to_thread work runs on a pool of platform threads");
        }

        @Test
        void theLoopKeepsRunningWhileTheWorkBlocks() {
            // real time: the job waits for a coroutine's timer, and virtual time never jumps while a job runs
            boolean released = TestLoop.real().run(() -> {
                CountDownLatch latch = new CountDownLatch(1);
                spawn(() -> {
                    sleep(ms(1));
                    latch.countDown(); // can only run if the loop is not blocked by the work
                });
                return toThread(() -> latch.await(30, TimeUnit.SECONDS));
            });
            assertTrue(released);
        }

        @Test
        void theWorksExceptionIsRethrownUnchanged() {
            IOException checked = new IOException("checked");
            UncheckedIOException unchecked = new UncheckedIOException(checked);
            CompletionException completion = new CompletionException("thrown by the work itself", checked);
            runTest(() -> {
                assertSame(
                        checked,
                        assertThrows(
                                IOException.class,
                                () -> toThread(() -> {
                                    throw checked;
                                })));
                assertSame(
                        unchecked,
                        assertThrows(
                                UncheckedIOException.class,
                                () -> toThread(() -> {
                                    throw unchecked;
                                })));
                assertSame(
                        completion,
                        assertThrows(
                                CompletionException.class,
                                () -> toThread(() -> {
                                    throw completion;
                                })));
            });
        }
    }

    @Nested
    class ClocksNearTheEndOfTheirRange {
        /** A loop whose clock reads ten minutes before {@code Long.MAX_VALUE}: an hour from now does not fit. */
        private <T> T runNearTheEnd(Coroutine<T> body) {
            long base = Long.MAX_VALUE - Duration.ofMinutes(10).toNanos();
            long start = System.nanoTime();
            Loop loop = Loop.create(() -> base + (System.nanoTime() - start));
            try {
                return loop.runUntilComplete(body);
            } finally {
                loop.close();
            }
        }

        @Test
        void waitTasksWithALongTimeoutDoesNotWrapIntoThePast() {
            String r = runNearTheEnd(() -> {
                LoopFuture<String> f = createFuture();
                Loop.current().callLater(ms(2), () -> f.setResult("done"));
                var w = waitTasks(List.of(f), ReturnWhen.ALL_COMPLETED, HOUR);
                return w.done().isEmpty() ? "timed out at once" : f.result();
            });
            assertEquals("done", r);
        }

        @Test
        void asCompletedWithALongTimeoutDoesNotWrapIntoThePast() {
            String r = runNearTheEnd(() -> {
                LoopFuture<String> f = createFuture();
                Loop.current().callLater(ms(2), () -> f.setResult("done"));
                try {
                    return asCompleted(List.of(f), HOUR).iterator().next().result();
                } catch (TimedOut e) {
                    return "timed out at once";
                }
            });
            assertEquals("done", r);
        }
    }

    @Nested
    class ToThreadCancellation {
        @Test
        void cancellingTheCallerLeavesARunningJobUninterruptedToFinishUnobserved() {
            CountDownLatch started = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            AtomicReference<String> job = new AtomicReference<>("not run");
            runTest(() -> {
                Task<String> caller = spawn(() -> toThread(() -> {
                    started.countDown();
                    try {
                        job.set(release.await(30, TimeUnit.SECONDS) ? "finished" : "gave up");
                    } catch (InterruptedException e) {
                        job.set("interrupted");
                    }
                    return "unobserved";
                }));
                assertTrue(toThread(() -> started.await(30, TimeUnit.SECONDS))); // the job is running
                caller.cancel();
                assertThrows(Cancelled.class, caller::await);
                assertTrue(caller.isCancelled());
                release.countDown();
            });
            // Spindle.run waits for the default executor's jobs before it returns
            assertEquals("finished", job.get());
        }

        @Test
        void cancellingTheCallerOfAJobNotStartedYetSkipsIt() throws Exception {
            java.util.concurrent.ExecutorService single = java.util.concurrent.Executors.newSingleThreadExecutor();
            CountDownLatch release = new CountDownLatch(1);
            AtomicReference<String> second = new AtomicReference<>("never ran");
            try {
                runTest(() -> {
                    Task<Boolean> first =
                            spawn(() -> Spindle.runInExecutor(single, () -> release.await(30, TimeUnit.SECONDS)));
                    Task<String> queued = spawn(() -> Spindle.runInExecutor(single, () -> {
                        second.set("ran");
                        return "ran";
                    }));
                    settle(); // both jobs are submitted; the second waits behind the first
                    queued.cancel();
                    assertThrows(Cancelled.class, queued::await);
                    release.countDown();
                    assertTrue(first.await());
                });
            } finally {
                single.shutdown();
                assertTrue(single.awaitTermination(30, TimeUnit.SECONDS));
            }
            assertEquals("never ran", second.get());
        }
    }

    @Nested
    class AwaitingCompletableFutures {
        @Test
        void aFutureCompletedFromAnotherThreadParksOnlyTheAwaitingCoroutine() throws Exception {
            CountDownLatch go = new CountDownLatch(1);
            CompletableFuture<String> cf = new CompletableFuture<>();
            Thread completer = Thread.ofPlatform().start(() -> {
                try {
                    if (go.await(30, TimeUnit.SECONDS)) {
                        cf.complete("from another thread");
                    }
                } catch (InterruptedException e) {
                    cf.completeExceptionally(e);
                }
            });
            String r = runTest(() -> {
                spawn(() -> {
                    events.add("other coroutine ran");
                    go.countDown(); // only runs if awaiting cf leaves the loop free
                });
                return await(cf);
            });
            completer.join();
            assertEquals("from another thread", r);
            assertEquals(List.of("other coroutine ran"), events);
        }

        @Test
        void aFailedFutureRethrowsTheCauseUnwrapped() {
            IOException checked = new IOException("checked");
            IllegalStateException unchecked = new IllegalStateException("unchecked");
            runTest(() -> {
                CompletableFuture<String> failedAlready = CompletableFuture.failedFuture(checked);
                assertSame(checked, assertThrows(IOException.class, () -> await(failedAlready)));

                CompletableFuture<String> failsLater = new CompletableFuture<>();
                Thread.ofPlatform().start(() -> failsLater.completeExceptionally(checked));
                assertSame(checked, assertThrows(IOException.class, () -> await(failsLater)));

                // supplyAsync stores the failure wrapped in a CompletionException: still unwrapped
                CompletableFuture<String> async = CompletableFuture.supplyAsync(() -> {
                    throw unchecked;
                });
                assertSame(unchecked, assertThrows(IllegalStateException.class, () -> await(async)));
            });
        }

        @Test
        void cancellingTheAwaitingTaskCancelsTheFuture() {
            CompletableFuture<String> cf = new CompletableFuture<>();
            runTest(() -> {
                Task<String> waiter = spawn(() -> await(cf));
                settle();
                waiter.cancel();
                assertThrows(Cancelled.class, waiter::await);
            });
            assertTrue(cf.isCancelled());
        }
    }
}
