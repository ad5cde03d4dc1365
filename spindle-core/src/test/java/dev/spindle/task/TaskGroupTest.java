package dev.spindle.task;

import static dev.spindle.Spindle.createFuture;
import static dev.spindle.Spindle.currentTask;
import static dev.spindle.Spindle.sleep;
import static dev.spindle.Spindle.spawn;
import static dev.spindle.Spindle.taskGroup;
import static dev.spindle.test.TestLoop.runTest;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.Spindle;
import dev.spindle.loop.ExceptionContext;
import dev.spindle.loop.Loop;
import dev.spindle.time.TimedOut;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * asyncio's {@code TaskGroup} as {@link TaskGroup}: structured concurrency, cancellation of siblings and body on the
 * first failure, every failure reported together, and external cancellation. Order is checked through event lists;
 * the only sleeps are waits that must be cancelled (an hour) or tiny ones to make a child finish later than another.
 */
class TaskGroupTest {
    private static final Duration HOUR = Duration.ofHours(1);

    private final List<String> events = new ArrayList<>();
    private final List<ExceptionContext> reported = new ArrayList<>();

    private static Duration ms(long n) {
        return Duration.ofMillis(n);
    }

    private static void settle() {
        for (int i = 0; i < 5; i++) {
            sleep(Duration.ZERO);
        }
    }

    /** A child that waits for an hour, records its cancellation, and lets it go on. */
    private Coroutine<String> sleeper(String name) {
        return () -> {
            try {
                sleep(HOUR);
                events.add(name + " finished");
                return name;
            } catch (Cancelled c) {
                events.add(name + " cancelled");
                throw c;
            }
        };
    }

    private static void assertAllDone(List<Task<?>> children) {
        for (Task<?> c : children) {
            assertTrue(c.isDone(), () -> c + " outlived its group");
        }
    }

    @Test
    void theGroupWaitsForAllChildrenAndReturnsTheBodysResult() {
        List<Task<?>> children = new ArrayList<>();
        String r = runTest(() -> {
            String v = taskGroup(tg -> {
                for (int i = 3; i >= 1; i--) {
                    int n = i;
                    children.add(tg.spawn(() -> {
                        sleep(ms(n)); // the last spawned finishes first
                        events.add("child " + n);
                        return n;
                    }));
                }
                events.add("body returns");
                return "body result";
            });
            events.add("group closed");
            assertAllDone(children);
            return v;
        });
        assertEquals("body result", r);
        assertEquals("body returns", events.get(0));
        assertEquals("group closed", events.get(events.size() - 1));
        assertEquals(5, events.size(), events::toString);
        for (Task<?> c : children) {
            assertFalse(c.isFailed() || c.isCancelled());
        }
    }

    @Test
    void childrenCanSpawnSiblingsAndTheGroupWaitsForThemToo() {
        List<Task<?>> children = new ArrayList<>();
        runTest(() -> {
            taskGroup(tg -> {
                children.add(tg.spawn(() -> {
                    sleep(ms(1));
                    children.add(tg.spawn(() -> {
                        sleep(ms(2));
                        events.add("grandchild-like sibling done");
                        return null;
                    }));
                    return null;
                }));
                return null;
            });
            events.add("group closed");
            assertEquals(2, children.size());
            assertAllDone(children);
        });
        assertEquals(List.of("grandchild-like sibling done", "group closed"), events);
    }

    @Test
    void theFirstFailingChildCancelsTheSiblingsAndTheBody() {
        IOException boom = new IOException("boom");
        List<Task<?>> children = new ArrayList<>();
        runTest(() -> {
            LoopFuture<Void> gate = createFuture();
            ExceptionGroup g = assertThrows(
                    ExceptionGroup.class,
                    () -> taskGroup(tg -> {
                        children.add(tg.spawn(sleeper("a")));
                        children.add(tg.spawn(() -> {
                            gate.await();
                            events.add("b fails");
                            throw boom;
                        }));
                        children.add(tg.spawn(sleeper("c")));
                        settle();
                        gate.setResult(null);
                        try {
                            sleep(HOUR);
                        } catch (Cancelled c) {
                            events.add("body cancelled");
                            throw c;
                        }
                        return null;
                    }));
            events.add("group raised");
            assertEquals(List.of(boom), g.exceptions());
            assertSame(boom, g.exceptions().get(0));
            assertAllDone(children);
            assertTrue(children.get(0).isCancelled());
            assertTrue(children.get(2).isCancelled());
            // the group's own cancellation of its parent was withdrawn: the task goes on normally
            assertEquals(0, currentTask().cancelling());
            sleep(ms(1));
            events.add("parent goes on");
        });
        assertEquals("b fails", events.get(0));
        assertEquals(
                List.of("a cancelled", "body cancelled", "c cancelled"),
                events.subList(1, 4).stream().sorted().toList());
        assertEquals(List.of("group raised", "parent goes on"), events.subList(4, 6));
    }

    @Test
    void everyFailureComesOutTogetherInOrderAndCancelledSiblingsAddNothing() {
        IllegalStateException first = new IllegalStateException("first");
        IOException duringCleanup = new IOException("failed while being cancelled");
        List<Task<?>> children = new ArrayList<>();
        runTest(() -> {
            collectUnhandled();
            ExceptionGroup g = assertThrows(
                    ExceptionGroup.class,
                    () -> taskGroup(tg -> {
                        children.add(tg.spawn(() -> {
                            try {
                                sleep(HOUR);
                            } finally {
                                sleep(ms(1));
                                throw duringCleanup; // fails after the first failure
                            }
                        }));
                        children.add(tg.spawn(sleeper("quiet"))); // cancelled: adds nothing
                        children.add(tg.spawn(() -> {
                            sleep(ms(1));
                            throw first;
                        }));
                        return null;
                    }));
            assertEquals(List.of(first, duringCleanup), g.exceptions());
            assertEquals(List.of(first, duringCleanup), List.of(g.getSuppressed()));
            assertAllDone(children);
            assertTrue(children.get(1).isCancelled());
        });
        assertEquals(List.of(), reported, "the group retrieved the failures it raised");
    }

    @Test
    void aFailingBodyCancelsTheChildrenAndItsExceptionIsInTheGroup() {
        IOException bodyFailure = new IOException("body failed");
        List<Task<?>> children = new ArrayList<>();
        runTest(() -> {
            ExceptionGroup g = assertThrows(
                    ExceptionGroup.class,
                    () -> taskGroup(tg -> {
                        children.add(tg.spawn(() -> {
                            try {
                                sleep(HOUR);
                                return null;
                            } finally {
                                sleep(ms(1)); // a cleanup the group must wait for
                                events.add("child cleaned up");
                            }
                        }));
                        settle();
                        throw bodyFailure;
                    }));
            events.add("group raised");
            assertEquals(List.of(bodyFailure), g.exceptions());
            assertAllDone(children);
            assertTrue(children.get(0).isCancelled());
            assertEquals(0, currentTask().cancelling());
        });
        assertEquals(List.of("child cleaned up", "group raised"), events);
    }

    @Test
    void aFailingBodyAndAChildThatFailsDuringItsCleanupAreBothReported() {
        IOException bodyFailure = new IOException("body failed");
        IllegalStateException childFailure = new IllegalStateException("child failed during cleanup");
        runTest(() -> {
            ExceptionGroup g = assertThrows(
                    ExceptionGroup.class,
                    () -> taskGroup(tg -> {
                        tg.spawn(() -> {
                            try {
                                sleep(HOUR);
                            } finally {
                                throw childFailure;
                            }
                        });
                        settle();
                        throw bodyFailure;
                    }));
            assertEquals(2, g.exceptions().size());
            assertTrue(g.exceptions().containsAll(List.of(bodyFailure, childFailure)));
        });
    }

    @Test
    void anExternalCancelOfTheParentCancelsTheChildrenWaitsForThemAndPropagatesCancelled() {
        List<Task<?>> children = new ArrayList<>();
        runTest(() -> {
            LoopFuture<Void> cleanupGate = createFuture();
            Task<String> parent = spawn(() -> taskGroup(tg -> {
                for (String name : List.of("a", "b")) {
                    children.add(tg.spawn(() -> {
                        try {
                            sleep(HOUR);
                            return name;
                        } finally {
                            cleanupGate.await();
                            events.add(name + " cleaned up");
                        }
                    }));
                }
                try {
                    sleep(HOUR);
                } catch (Cancelled c) {
                    events.add("body cancelled");
                    throw c;
                }
                return "never";
            }));
            settle();
            parent.cancel("from outside");
            settle();
            assertFalse(parent.isDone(), "the group waits for its children's cleanup");
            events.add("cleanup allowed");
            cleanupGate.setResult(null);
            Cancelled c = assertThrows(Cancelled.class, parent::await);
            assertEquals("from outside", c.getMessage());
            assertTrue(parent.isCancelled());
            assertAllDone(children);
            for (Task<?> child : children) {
                assertTrue(child.isCancelled());
            }
        });
        assertEquals(List.of("body cancelled", "cleanup allowed", "a cleaned up", "b cleaned up"), events);
    }

    @Test
    void anExternalCancelWhileTheGroupWaitsForItsChildrenCancelsThem() {
        List<Task<?>> children = new ArrayList<>();
        runTest(() -> {
            Task<String> parent = spawn(() -> taskGroup(tg -> {
                children.add(tg.spawn(sleeper("a")));
                return "body done"; // the group now waits in its exit
            }));
            settle();
            parent.cancel();
            assertThrows(Cancelled.class, parent::await);
            assertTrue(parent.isCancelled());
            assertAllDone(children);
            assertTrue(children.get(0).isCancelled());
        });
        assertEquals(List.of("a cancelled"), events);
    }

    @Test
    void whenAChildFailsDuringAnExternalCancelTheGroupWinsAndTheCancelStaysPending() {
        // asyncio (3.12+): the ExceptionGroup propagates, and the outside cancellation is re-armed so that the
        // next suspension of the task still raises it
        IOException boom = new IOException("failed while being cancelled");
        runTest(() -> {
            Task<String> parent = spawn(() -> {
                try {
                    taskGroup(tg -> {
                        tg.spawn(() -> {
                            try {
                                sleep(HOUR);
                            } finally {
                                throw boom;
                            }
                        });
                        sleep(HOUR);
                        return null;
                    });
                } catch (ExceptionGroup g) {
                    events.add("caught group of " + g.exceptions());
                    assertEquals(1, currentTask().cancelling());
                }
                try {
                    sleep(ms(20)); // bounded: if the cancellation was lost, the task ends normally
                } catch (Cancelled c) {
                    events.add("outside cancellation delivered");
                    throw c;
                }
                return "the outside cancellation was lost";
            });
            settle();
            parent.cancel();
            assertThrows(Cancelled.class, parent::await);
            assertTrue(parent.isCancelled());
        });
        assertEquals(List.of("caught group of [" + boom + "]", "outside cancellation delivered"), events);
    }

    @Test
    void aFailingChildInterruptsABodyBlockedInTheJdkAndOnlyTheChildsFailureIsReported() {
        IOException boom = new IOException("boom");
        runTest(() -> {
            ExceptionGroup g = assertThrows(
                    ExceptionGroup.class,
                    () -> taskGroup(tg -> {
                        tg.spawn(() -> {
                            sleep(ms(1));
                            throw boom;
                        });
                        try {
                            Thread.sleep(HOUR);
                        } catch (InterruptedException e) {
                            events.add("body interrupted");
                            throw e;
                        }
                        return null;
                    }));
            assertEquals(List.of(boom), g.exceptions(), "the body's interruption is its cancellation, not a failure");
            assertEquals(0, currentTask().cancelling());
            assertFalse(Thread.currentThread().isInterrupted());
            sleep(ms(1));
        });
        assertEquals(List.of("body interrupted"), events);
    }

    @Test
    void aTimeoutWhileTheGroupWaitsForItsChildrenCancelsThemAndBecomesTimedOut() {
        List<Task<?>> children = new ArrayList<>();
        runTest(() -> {
            assertThrows(
                    TimedOut.class,
                    () -> Spindle.withTimeout(
                            ms(5),
                            () -> taskGroup(tg -> {
                                children.add(tg.spawn(sleeper("a")));
                                return "body done";
                            })));
            assertAllDone(children);
            assertTrue(children.get(0).isCancelled());
            assertEquals(0, currentTask().cancelling());
        });
        assertEquals(List.of("a cancelled"), events);
    }

    @Test
    void cancelledChildrenAddNothingAndDoNotAbortTheGroup() {
        String r = runTest(() -> taskGroup(tg -> {
            Task<String> victim = tg.spawn(sleeper("victim"));
            Task<String> survivor = tg.spawn(() -> {
                sleep(ms(2));
                return "survivor";
            });
            settle();
            victim.cancel();
            sleep(ms(1)); // the body is not cancelled
            events.add("body goes on");
            return survivor.await();
        }));
        assertEquals("survivor", r);
        assertEquals(List.of("victim cancelled", "body goes on"), events);
    }

    @Test
    void spawnAfterTheGroupFinishedFailsClearly() {
        runTest(() -> {
            AtomicReference<TaskGroup> escaped = new AtomicReference<>();
            taskGroup(tg -> {
                escaped.set(tg);
                tg.spawn(() -> "child");
                return null;
            });
            IllegalStateException e = assertThrows(
                    IllegalStateException.class, () -> escaped.get().spawn(() -> "too late"));
            assertTrue(e.getMessage().contains("finished"), e.getMessage());
            assertEquals(1, Loop.current().allTasks().size(), "nothing was spawned");
        });
    }

    @Test
    void spawnWhileShuttingDownAfterAFailureFails() {
        runTest(() -> {
            AtomicReference<Throwable> refused = new AtomicReference<>();
            assertThrows(
                    ExceptionGroup.class,
                    () -> taskGroup(tg -> {
                        tg.spawn(() -> {
                            try {
                                sleep(HOUR);
                            } finally {
                                try {
                                    tg.spawn(() -> "during shutdown");
                                } catch (IllegalStateException e) {
                                    refused.set(e);
                                }
                            }
                            return null;
                        });
                        tg.spawn(() -> {
                            throw new IllegalStateException("boom");
                        });
                        return null;
                    }));
            assertInstanceOf(IllegalStateException.class, refused.get());
            assertTrue(
                    refused.get().getMessage().contains("shutting down"),
                    refused.get().getMessage());
        });
    }

    @Test
    void nestedGroups_anInnerFailureIsReportedInsideTheOuterGroup() {
        IOException boom = new IOException("inner child failed");
        List<Task<?>> children = new ArrayList<>();
        runTest(() -> {
            ExceptionGroup outer = assertThrows(
                    ExceptionGroup.class,
                    () -> taskGroup(outerGroup -> {
                        children.add(outerGroup.spawn(sleeper("outer child")));
                        return taskGroup(innerGroup -> {
                            children.add(innerGroup.spawn(sleeper("inner sibling")));
                            children.add(innerGroup.spawn(() -> {
                                sleep(ms(1));
                                throw boom;
                            }));
                            return null;
                        });
                    }));
            assertEquals(1, outer.exceptions().size());
            ExceptionGroup inner =
                    assertInstanceOf(ExceptionGroup.class, outer.exceptions().get(0));
            assertEquals(List.of(boom), inner.exceptions());
            assertAllDone(children);
            assertEquals(0, currentTask().cancelling());
        });
        assertEquals(List.of("inner sibling cancelled", "outer child cancelled"), events);
    }

    @Test
    void nestedGroups_anOuterFailureCancelsTheInnerGroupWhichReportsNothing() {
        IOException boom = new IOException("outer child failed");
        List<Task<?>> children = new ArrayList<>();
        runTest(() -> {
            ExceptionGroup outer = assertThrows(
                    ExceptionGroup.class,
                    () -> taskGroup(outerGroup -> {
                        children.add(outerGroup.spawn(() -> {
                            sleep(ms(1));
                            throw boom;
                        }));
                        try {
                            return taskGroup(innerGroup -> {
                                children.add(innerGroup.spawn(sleeper("inner child")));
                                sleep(HOUR);
                                return null;
                            });
                        } catch (Throwable e) {
                            events.add("inner group raised " + e.getClass().getSimpleName());
                            throw e;
                        }
                    }));
            assertEquals(List.of(boom), outer.exceptions());
            assertAllDone(children);
            assertEquals(0, currentTask().cancelling());
        });
        assertEquals(List.of("inner child cancelled", "inner group raised Cancelled"), events);
    }

    @Test
    void aTimeoutAroundAGroupCancelsItAndBecomesTimedOut() {
        List<Task<?>> children = new ArrayList<>();
        runTest(() -> {
            assertThrows(
                    TimedOut.class,
                    () -> Spindle.withTimeout(
                            ms(5),
                            () -> taskGroup(tg -> {
                                children.add(tg.spawn(sleeper("a")));
                                sleep(HOUR);
                                return null;
                            })));
            assertAllDone(children);
            assertEquals(0, currentTask().cancelling());
        });
        assertEquals(List.of("a cancelled"), events);
    }

    private void collectUnhandled() {
        Loop.current().setExceptionHandler((loop, ctx) -> reported.add(ctx));
    }

    @Test
    void namedChildrenThatReturnNothing() {
        runTest(() -> {
            List<String> names = new ArrayList<>();
            taskGroup(tg -> {
                Task<Void> a = tg.spawn("rinse", () -> {
                    names.add(currentTask().name());
                });
                Task<String> b = tg.spawn("spin", () -> "done");
                return List.of(a, b);
            });
            assertEquals(List.of("rinse"), names);
        });
    }
}
