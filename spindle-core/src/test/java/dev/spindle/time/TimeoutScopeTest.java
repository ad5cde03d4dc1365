package dev.spindle.time;

import static dev.spindle.Spindle.currentTask;
import static dev.spindle.Spindle.sleep;
import static dev.spindle.Spindle.spawn;
import static dev.spindle.Spindle.timeoutAt;
import static dev.spindle.Spindle.withTimeout;
import static dev.spindle.test.TestLoop.runTest;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.loop.Loop;
import dev.spindle.task.Cancelled;
import dev.spindle.task.Task;
import dev.spindle.task.internal.Interruption;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.junit.jupiter.api.Test;

/**
 * asyncio's {@code timeout}/{@code timeout_at} as {@link TimeoutScope}: TimedOut only from the scope whose deadline
 * passed, outside cancellations untouched, JDK blocking calls interrupted. Deadlines are either far in the future
 * (an hour: they must never fire) or a few milliseconds away around a wait that cannot end on its own; no test
 * measures elapsed time.
 */
class TimeoutScopeTest {
    private static final Duration HOUR = Duration.ofHours(1);

    private final List<String> events = new ArrayList<>();

    private static Duration ms(long n) {
        return Duration.ofMillis(n);
    }

    /** Checks the task is left as it was: no cancellation requested or pending. */
    private static void assertNotCancelledAnyMore() {
        assertEquals(0, currentTask().cancelling(), "the scope withdrew its cancellation");
        sleep(Duration.ZERO); // would throw Cancelled if one were still pending
    }

    @Test
    void withTimeoutReturnsTheValueWhenInTime() {
        String r = runTest(() -> {
            String v = withTimeout(HOUR, () -> {
                sleep(ms(1));
                return "in time";
            });
            assertNotCancelledAnyMore();
            return v;
        });
        assertEquals("in time", r);
    }

    @Test
    void aScopeThatEndsInTimeIsNotExpiredAndItsTimerIsGone() {
        runTest(() -> {
            TimeoutScope scope = TimeoutScope.after(ms(5));
            assertEquals("quick", scope.run(() -> "quick"));
            assertFalse(scope.expired());
            sleep(ms(15)); // past the old deadline: a timer left behind would cancel this sleep
            assertFalse(scope.expired());
            assertNotCancelledAnyMore();
        });
    }

    @Test
    void whenTheDeadlinePassesTheBodyIsCancelledAndTimedOutThrownWithTheCancelledAsCause() {
        runTest(() -> {
            TimeoutScope scope = TimeoutScope.after(ms(5));
            TimedOut t = assertThrows(
                    TimedOut.class,
                    () -> scope.run(() -> {
                        try {
                            sleep(HOUR);
                            return "never";
                        } catch (Cancelled c) {
                            events.add("body cancelled");
                            throw c;
                        } finally {
                            events.add("body finally");
                        }
                    }));
            events.add("TimedOut");
            assertInstanceOf(Cancelled.class, t.getCause());
            assertTrue(scope.expired());
            assertNotCancelledAnyMore();
        });
        assertEquals(List.of("body cancelled", "body finally", "TimedOut"), events);
    }

    @Test
    void aZeroTimeoutExpiresAtTheFirstSuspension() {
        runTest(() -> {
            assertThrows(
                    TimedOut.class,
                    () -> withTimeout(Duration.ZERO, () -> {
                        events.add("body started");
                        sleep(HOUR);
                    }));
            assertNotCancelledAnyMore();
        });
        assertEquals(List.of("body started"), events);
    }

    // ---- JDK blocking calls ---------------------------------------------------------------------------------

    @Test
    void threadSleepInsideATimeoutIsInterrupted() {
        runTest(() -> {
            TimedOut t = assertThrows(TimedOut.class, () -> withTimeout(ms(5), () -> Thread.sleep(HOUR)));
            assertInstanceOf(InterruptedException.class, t.getCause());
            assertFalse(Thread.currentThread().isInterrupted());
            assertNotCancelledAnyMore();
        });
    }

    @Test
    void blockingQueueTakeInsideATimeoutIsInterrupted() {
        runTest(() -> {
            BlockingQueue<String> queue = new ArrayBlockingQueue<>(1);
            TimedOut t = assertThrows(TimedOut.class, () -> withTimeout(ms(5), queue::take));
            assertInstanceOf(InterruptedException.class, t.getCause());
            assertNotCancelledAnyMore();
            // the task can block in the JDK again afterwards
            queue.put("x");
            assertEquals("x", withTimeout(HOUR, queue::take));
        });
    }

    @Test
    void aSocketReadThatNeverGetsDataIsInterruptedByTheTimeout() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Socket client = runTest(() -> {
                Socket s = new Socket(server.getInetAddress(), server.getLocalPort()); // the server never writes
                InputStream in = s.getInputStream();
                TimedOut t = assertThrows(TimedOut.class, () -> withTimeout(ms(10), () -> in.read()));
                assertNotNull(t.getCause());
                assertTrue(Interruption.isInterruption(t.getCause()), () -> "cause: " + t.getCause());
                assertNotCancelledAnyMore();
                return s;
            });
            assertTrue(client.isClosed(), "the JDK closes a socket whose blocking read is interrupted");
        }
    }

    // ---- nesting ------------------------------------------------------------------------------------------

    @Test
    void anInnerScopeExpiringRaisesTimedOutOnlyThereAndTheOuterGoesOn() {
        String r = runTest(() -> {
            TimeoutScope outer = TimeoutScope.after(HOUR);
            TimeoutScope inner = TimeoutScope.after(ms(5));
            String v = outer.run(() -> {
                try {
                    inner.run(() -> {
                        sleep(HOUR);
                        return "never";
                    });
                } catch (TimedOut e) {
                    events.add("inner TimedOut");
                }
                sleep(ms(1)); // the outer scope's body is not cancelled
                events.add("outer body goes on");
                return "outer done";
            });
            assertTrue(inner.expired());
            assertFalse(outer.expired());
            assertNotCancelledAnyMore();
            return v;
        });
        assertEquals("outer done", r);
        assertEquals(List.of("inner TimedOut", "outer body goes on"), events);
    }

    @Test
    void anOuterScopeExpiringInsideTheInnerRaisesTimedOutAtTheOuterNotTheInner() {
        runTest(() -> {
            TimeoutScope outer = TimeoutScope.after(ms(5));
            TimeoutScope inner = TimeoutScope.after(HOUR);
            TimedOut t = assertThrows(
                    TimedOut.class,
                    () -> outer.run(() -> {
                        try {
                            return inner.run(() -> {
                                sleep(HOUR);
                                return "never";
                            });
                        } catch (Throwable e) {
                            events.add("out of the inner scope: " + e.getClass().getSimpleName());
                            throw e;
                        }
                    }));
            events.add("out of the outer scope: " + t.getClass().getSimpleName());
            assertTrue(outer.expired());
            assertFalse(inner.expired());
            assertNotCancelledAnyMore();
        });
        assertEquals(List.of("out of the inner scope: Cancelled", "out of the outer scope: TimedOut"), events);
    }

    @Test
    void bothScopesExpiringTogetherRaiseTimedOutOnlyAtTheOuter() {
        runTest(() -> {
            long deadline = Loop.current().nanoTime() + ms(5).toNanos();
            TimeoutScope outer = TimeoutScope.at(deadline);
            TimeoutScope inner = TimeoutScope.at(deadline);
            assertThrows(
                    TimedOut.class,
                    () -> outer.run(() -> {
                        try {
                            return inner.run(() -> {
                                sleep(HOUR);
                                return "never";
                            });
                        } catch (TimedOut e) {
                            events.add("inner raised TimedOut");
                            throw e;
                        } catch (Cancelled e) {
                            events.add("inner let the Cancelled through");
                            throw e;
                        }
                    }));
            assertTrue(outer.expired());
            assertTrue(inner.expired());
            assertNotCancelledAnyMore();
        });
        assertEquals(List.of("inner let the Cancelled through"), events);
    }

    // ---- cancellation from elsewhere ---------------------------------------------------------------------

    @Test
    void aCancellationFromOutsidePropagatesAsCancelledNotTimedOut() {
        runTest(() -> {
            TimeoutScope scope = TimeoutScope.after(HOUR);
            Task<String> t = spawn(() -> scope.run(() -> {
                sleep(HOUR);
                return "never";
            }));
            sleep(Duration.ZERO);
            t.cancel("from outside");
            Cancelled c = assertThrows(Cancelled.class, t::await);
            assertEquals("from outside", c.getMessage());
            assertTrue(t.isCancelled());
            assertFalse(scope.expired());
        });
    }

    @Test
    void aCancellationFromOutsideStillWinsWhenTheDeadlineAlsoPassesDuringCleanup() {
        runTest(() -> {
            TimeoutScope scope = TimeoutScope.after(HOUR);
            Task<String> t = spawn(() -> scope.run(() -> {
                try {
                    sleep(HOUR);
                    return "never";
                } finally {
                    // a long cleanup, during which the deadline passes
                    scope.reschedule(Loop.current().nanoTime() + ms(2).toNanos());
                    try {
                        sleep(HOUR);
                    } catch (Cancelled c) {
                        events.add("cleanup cut short by the deadline");
                    }
                }
            }));
            sleep(Duration.ZERO);
            t.cancel("from outside");
            assertThrows(Cancelled.class, t::await);
            assertTrue(t.isCancelled());
            assertTrue(scope.expired());
        });
        assertEquals(List.of("cleanup cut short by the deadline"), events);
    }

    @Test
    void aCancellationFromOutsideOfABodyBlockedInTheJdkIsNotTimedOut() {
        runTest(() -> {
            Task<Void> t = spawn(() -> withTimeout(HOUR, () -> Thread.sleep(HOUR)));
            sleep(Duration.ZERO);
            t.cancel();
            assertThrows(Cancelled.class, t::await);
            assertTrue(t.isCancelled());
        });
    }

    // ---- moving the deadline -------------------------------------------------------------------------------

    @Test
    void rescheduleCanExtendTheDeadline() {
        String r = runTest(() -> {
            TimeoutScope scope = TimeoutScope.after(ms(5));
            String v = scope.run(() -> {
                scope.reschedule(scope.deadline() + HOUR.toNanos());
                sleep(ms(15)); // well past the first deadline
                return "extended";
            });
            assertFalse(scope.expired());
            return v;
        });
        assertEquals("extended", r);
    }

    @Test
    void rescheduleCanShortenTheDeadline() {
        runTest(() -> {
            TimeoutScope scope = TimeoutScope.after(HOUR);
            assertThrows(
                    TimedOut.class,
                    () -> scope.run(() -> {
                        scope.reschedule(Loop.current().nanoTime() + ms(5).toNanos());
                        sleep(HOUR);
                        return "never";
                    }));
            assertTrue(scope.expired());
            assertNotCancelledAnyMore();
        });
    }

    @Test
    void aScopeWithNoDeadlineCanBeGivenOneAndOneCanBeRemoved() {
        runTest(() -> {
            TimeoutScope never = TimeoutScope.never();
            assertEquals(TimeoutScope.NEVER, never.deadline());
            assertThrows(
                    TimedOut.class,
                    () -> never.run(() -> {
                        never.reschedule(Loop.current().nanoTime()); // already due
                        sleep(HOUR);
                        return "never";
                    }));
            TimeoutScope removed = TimeoutScope.after(ms(5));
            assertEquals("kept going", removed.run(() -> {
                removed.reschedule(TimeoutScope.NEVER);
                sleep(ms(15));
                return "kept going";
            }));
            assertFalse(removed.expired());
            assertNotCancelledAnyMore();
        });
    }

    @Test
    void aDeadlineMovedLaterAtEveryStepOrRemovedExpiresExactlyAtTheOneInForce() {
        runTest(
                () -> { // virtual time: the expiry's instant is exact
                    TimeoutScope scope = TimeoutScope.after(ms(50));
                    long start = Loop.current().nanoTime();
                    assertThrows(
                            TimedOut.class,
                            () -> scope.run(() -> {
                                for (int i = 0; i < 100; i++) { // as a server does at each request: 50 ms more
                                    sleep(ms(10));
                                    scope.reschedule(Loop.current().nanoTime() + ms(50).toNanos());
                                }
                                scope.reschedule(TimeoutScope.NEVER);
                                sleep(ms(200)); // the timer set earlier fires in here and finds nothing due
                                scope.reschedule(Loop.current().nanoTime() + ms(30).toNanos());
                                sleep(HOUR);
                                return "never";
                            }));
                    assertEquals(
                            ms(1000 + 200 + 30), Duration.ofNanos(Loop.current().nanoTime() - start));
                    assertNotCancelledAnyMore();
                });
    }

    @Test
    void rescheduleOutsideTheRunningBodyFails() {
        runTest(() -> {
            TimeoutScope scope = TimeoutScope.after(HOUR);
            assertThrows(IllegalStateException.class, () -> scope.reschedule(0)); // not started
            scope.run(() -> "done");
            assertThrows(IllegalStateException.class, () -> scope.reschedule(0)); // finished
            assertThrows(IllegalStateException.class, () -> scope.run(() -> "again")); // runs once
        });
    }

    // ---- expired() --------------------------------------------------------------------------------------

    @Test
    void expiredIsTrueWhenTheBodySwallowsTheCancellationAndReturnsNormally() {
        runTest(() -> {
            TimeoutScope scope = TimeoutScope.after(ms(5));
            String v = scope.run(() -> {
                try {
                    sleep(HOUR);
                    return "slept";
                } catch (Cancelled c) {
                    return "swallowed";
                }
            });
            assertEquals("swallowed", v);
            assertTrue(scope.expired());
            assertNotCancelledAnyMore();
        });
    }

    // ---- absolute deadlines ------------------------------------------------------------------------------

    @Test
    void timeoutAtWithAPastDeadlineTimesOutAtTheFirstSuspension() {
        runTest(() -> {
            long past = Loop.current().nanoTime() - HOUR.toNanos();
            TimedOut t = assertThrows(
                    TimedOut.class,
                    () -> timeoutAt(past, () -> {
                        events.add("body runs until it suspends");
                        sleep(HOUR);
                        return "never";
                    }));
            assertInstanceOf(Cancelled.class, t.getCause());
            assertNotCancelledAnyMore();
        });
        assertEquals(List.of("body runs until it suspends"), events);
    }

    @Test
    void timeoutAtWithAPastDeadlineLetsABodyThatNeverSuspendsFinish() {
        // as asyncio: the deadline takes effect at a suspension point
        String r = runTest(() -> {
            TimeoutScope scope = TimeoutScope.at(Loop.current().nanoTime() - 1);
            String v = scope.run(() -> "no suspension");
            assertFalse(scope.expired());
            assertNotCancelledAnyMore();
            return v;
        });
        assertEquals("no suspension", r);
    }

    @Test
    void timeoutAtWithAFutureDeadline() {
        runTest(() -> {
            long soon = Loop.current().nanoTime() + ms(5).toNanos();
            assertThrows(
                    TimedOut.class,
                    () -> timeoutAt(soon, () -> {
                        sleep(HOUR);
                        return "never";
                    }));
            long later = Loop.current().nanoTime() + HOUR.toNanos();
            assertEquals("in time", timeoutAt(later, () -> "in time"));
        });
    }

    @Test
    void aRelativeTimeoutWorksOnALoopWhoseClockReadsNegative() {
        // Clock's contract: only differences between readings mean anything, so readings may be negative
        long offset = 1L << 62;
        Loop loop = Loop.create(() -> System.nanoTime() - offset);
        try {
            String r = loop.runUntilComplete(() -> {
                assertTrue(Loop.current().nanoTime() < 0);
                try {
                    withTimeout(ms(5), () -> sleep(ms(100)));
                    return "the deadline never came";
                } catch (TimedOut e) {
                    return "timed out";
                }
            });
            assertEquals("timed out", r);
        } finally {
            loop.close();
        }
    }

    @Test
    void outsideATaskRunFails() {
        assertThrows(IllegalStateException.class, () -> TimeoutScope.after(HOUR).run(() -> "x"));
    }
}
