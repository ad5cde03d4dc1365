package dev.spindle.gen;

import static dev.spindle.Spindle.run;
import static dev.spindle.Spindle.sleep;
import static dev.spindle.Spindle.spawn;
import static dev.spindle.test.TestLoop.runTest;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.Spindle;
import dev.spindle.loop.internal.Carrier;
import dev.spindle.task.Cancelled;
import dev.spindle.task.Task;
import dev.spindle.task.internal.Sneaky;
import dev.spindle.time.TimedOut;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class GreenletTest {

    interface Scenario {
        void run() throws Exception;
    }

    /** Runs {@code s} rooted on a fresh platform thread, then rooted in a fresh coroutine. */
    private static void inBothModes(Scenario s) throws Exception {
        onFreshPlatformThread(s);
        run(s::run);
    }

    private static void onFreshPlatformThread(Scenario s) throws Exception {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = Thread.ofPlatform().start(() -> {
            try {
                s.run();
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        t.join();
        if (failure.get() != null) {
            throw Sneaky.rethrow(failure.get());
        }
    }

    // ---- greenlet's own examples ---------------------------------------------------------------------------

    @Test
    void theTwelveFiftySixThirtyFourExample() throws Exception {
        inBothModes(() -> {
            List<Integer> printed = new ArrayList<>();
            List<String> cleanup = new ArrayList<>();
            Greenlet[] g = new Greenlet[2];
            g[0] = new Greenlet(args -> {
                printed.add(12);
                g[1].switchTo();
                printed.add(34);
                return null;
            });
            g[1] = new Greenlet(args -> {
                try {
                    printed.add(56);
                    g[0].switchTo();
                    printed.add(78);
                    return null;
                } finally {
                    cleanup.add("g1 finally");
                }
            });
            assertNull(g[0].switchTo());
            assertEquals(List.of(12, 56, 34), printed);
            assertTrue(g[0].isDead());
            assertTrue(g[1].isStarted());
            assertFalse(g[1].isDead(), "g1 is suspended, waiting for a switch that never comes");

            Object outcome = g[1].throwIn();
            assertInstanceOf(GreenletExit.class, outcome, "GreenletExit comes back to the parent as a value");
            assertTrue(g[1].isDead());
            assertEquals(List.of("g1 finally"), cleanup);
            assertEquals(List.of(12, 56, 34), printed);
        });
    }

    @Test
    void pingPongPassesValuesBothWays() throws Exception {
        inBothModes(() -> {
            List<Integer> seen = new ArrayList<>();
            Greenlet[] g = new Greenlet[2];
            g[0] = new Greenlet(args -> {
                int v = (Integer) args[0];
                while (v < 10) {
                    seen.add(v);
                    v = g[1].switchTo(v + 1);
                }
                return "ping done at " + v;
            });
            g[1] = new Greenlet(args -> {
                int v = (Integer) args[0];
                while (true) {
                    seen.add(v);
                    v = g[0].switchTo(v + 1);
                }
            });
            assertEquals("ping done at 10", g[0].switchTo(0));
            assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), seen);
            g[1].throwIn();
        });
    }

    @Test
    void tenThousandRoundTripsInEachMode() throws Exception {
        inBothModes(() -> {
            Greenlet echo = new Greenlet(args -> {
                Greenlet root = Greenlet.current().parent();
                int v = (Integer) args[0];
                while (true) {
                    v = root.switchTo(v + 1);
                }
            });
            int v = echo.switchTo(0);
            for (int i = 0; i < 10_000; i++) {
                assertEquals(2 * i + 1, v);
                v = echo.switchTo(v + 1);
            }
            assertEquals(20_001, v);
            assertInstanceOf(GreenletExit.class, echo.throwIn());
        });
    }

    // ---- values, parents, deaths ---------------------------------------------------------------------------

    @Test
    void switchArgumentsBecomeTheBodysArgumentsAndTheReturnedValue() throws Exception {
        inBothModes(() -> {
            Greenlet root = Greenlet.current();
            Greenlet g = new Greenlet(args -> {
                assertArrayEquals(new Object[] {"a", 1}, args);
                Object none = root.switchTo();
                assertNull(none);
                Object one = root.switchTo("one");
                assertEquals("x", one);
                Object many = root.switchTo("p", "q");
                assertArrayEquals(new Object[] {"y", "z"}, (Object[]) many);
                return "end";
            });
            assertNull(g.switchTo("a", 1));
            assertEquals("one", g.switchTo());
            Object[] pq = g.switchTo("x");
            assertArrayEquals(new Object[] {"p", "q"}, pq);
            assertEquals("end", g.switchTo("y", "z"));
            Greenlet h = new Greenlet(args -> args.length + " " + args[0] + " " + root.switchTo());
            assertNull(h.switchTo(null));
            assertEquals("1 null null", h.switchTo(null));
            assertEquals("self", root.switchTo("self"), "switching to oneself returns at once");
        });
    }

    @Test
    void aFinishedGreenletsResultGoesToItsParent() throws Exception {
        inBothModes(() -> {
            Greenlet root = Greenlet.current();
            List<String> order = new ArrayList<>();
            Greenlet child = new Greenlet(args -> {
                Greenlet grandchild = new Greenlet(a -> {
                    order.add("grandchild");
                    return 7;
                });
                assertSame(Greenlet.current(), grandchild.parent());
                int seven = grandchild.switchTo(); // the grandchild's end comes back here, not to the root
                order.add("child got " + seven);
                assertTrue(grandchild.isDead());
                return seven * 2;
            });
            assertSame(root, child.parent());
            assertNull(root.parent());
            assertEquals(14, (int) child.switchTo());
            assertEquals(List.of("grandchild", "child got 7"), order);
        });
    }

    @Test
    void anExceptionEndingAGreenletIsRaisedInItsParentUnchanged() throws Exception {
        inBothModes(() -> {
            IOException boom = new IOException("checked");
            Greenlet g = new Greenlet(args -> {
                throw boom;
            });
            assertSame(boom, assertThrows(IOException.class, g::switchTo));
            assertTrue(g.isDead());
        });
    }

    @Test
    void throwInRaisesAtThePendingSwitch() throws Exception {
        inBothModes(() -> {
            Greenlet root = Greenlet.current();
            List<String> log = new ArrayList<>();
            Greenlet g = new Greenlet(args -> {
                try {
                    root.switchTo("ready");
                } catch (IllegalArgumentException e) {
                    log.add("caught " + e.getMessage());
                    root.switchTo("handled");
                }
                root.switchTo("again");
                return "unreached";
            });
            assertEquals("ready", g.switchTo());
            assertEquals("handled", g.throwIn(new IllegalArgumentException("bad")));
            assertEquals("again", g.switchTo());
            IllegalStateException fatal = new IllegalStateException("fatal");
            assertSame(fatal, assertThrows(IllegalStateException.class, () -> g.throwIn(fatal)));
            assertTrue(g.isDead());
            assertEquals(List.of("caught bad"), log);
        });
    }

    @Test
    void throwingIntoAGreenletThatNeverRanKillsItWithoutRunningIt() throws Exception {
        inBothModes(() -> {
            List<String> ran = new ArrayList<>();
            Greenlet g = new Greenlet(args -> ran.add("body"));
            assertFalse(g.isStarted());
            assertInstanceOf(GreenletExit.class, g.throwIn());
            assertTrue(g.isDead());

            Greenlet h = new Greenlet(args -> ran.add("body"));
            IOException e = new IOException("to the parent");
            assertSame(e, assertThrows(IOException.class, () -> h.throwIn(e)));
            assertTrue(h.isDead());
            assertTrue(ran.isEmpty());
        });
    }

    @Test
    void switchingToADeadGreenletSwitchesToItsParent() throws Exception {
        inBothModes(() -> {
            Greenlet root = Greenlet.current();
            Greenlet[] c = new Greenlet[1];
            Greenlet p = new Greenlet(args -> {
                c[0] = new Greenlet(a -> "c's result");
                assertEquals("c's result", c[0].switchTo());
                Object got = root.switchTo("p suspended");
                return "p got " + got;
            });
            assertEquals("p suspended", p.switchTo());
            assertTrue(c[0].isDead());
            assertEquals("p got via dead c", c[0].switchTo("via dead c"));
            assertTrue(p.isDead());
            assertEquals("back to me", c[0].switchTo("back to me"), "all dead up to the root: the root itself");
        });
    }

    @Test
    void theStateOfAGreenlet() throws Exception {
        inBothModes(() -> {
            Greenlet root = Greenlet.current();
            assertTrue(root.isStarted());
            assertFalse(root.isDead());
            assertSame(root, Greenlet.current());
            Greenlet g = new Greenlet(args -> {
                assertTrue(Greenlet.current().toString().contains("running"));
                return root.switchTo();
            });
            assertFalse(g.isStarted());
            assertFalse(g.isDead());
            g.switchTo();
            assertTrue(g.isStarted());
            assertFalse(g.isDead());
            assertTrue(g.toString().contains("suspended"), g.toString());
            g.switchTo();
            assertTrue(g.isDead());
        });
    }

    @Test
    void setParentChecksCyclesAndGroups() throws Exception {
        inBothModes(() -> {
            Greenlet root = Greenlet.current();
            Greenlet a = new Greenlet(args -> "a");
            Greenlet b = new Greenlet(args -> "b got " + args[0], a);
            assertSame(a, b.parent());
            assertThrows(IllegalArgumentException.class, () -> a.setParent(b));
            assertThrows(IllegalArgumentException.class, () -> a.setParent(a));
            assertThrows(IllegalStateException.class, () -> root.setParent(a));
            b.setParent(root);
            a.setParent(b);
            // a ends; its result goes to its new parent b, which starts with it as its argument, and ends in turn
            assertEquals("b got a", a.switchTo());
            assertTrue(a.isDead());
            assertTrue(b.isDead());
        });
        AtomicReference<Greenlet> elsewhere = new AtomicReference<>();
        onFreshPlatformThread(() -> elsewhere.set(Greenlet.current()));
        onFreshPlatformThread(() -> {
            Greenlet mine = new Greenlet(args -> null);
            assertThrows(IllegalArgumentException.class, () -> mine.setParent(elsewhere.get()));
        });
    }

    @Test
    void aGreenletOfAnotherGroupCannotBeSwitchedTo() {
        run(() -> {
            Task<Greenlet> other = spawn(() -> new Greenlet(args -> "never"));
            Greenlet foreign = other.await();
            IllegalStateException e = assertThrows(IllegalStateException.class, foreign::switchTo);
            assertTrue(e.getMessage().contains("another group"), e.getMessage());
            assertFalse(foreign.isStarted());
        });
    }

    // ---- rooted in a coroutine -----------------------------------------------------------------------------

    @Test
    void greenletsInACoroutineMayUseSpindleWaitsWhileOtherCoroutinesRun() {
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        runTest(() -> {
            Task<Void> other = spawn(() -> {
                for (int i = 0; i < 3; i++) {
                    log.add("other " + i);
                    sleep(Duration.ZERO); // one pass of the loop
                }
            });
            Greenlet g = new Greenlet(args -> {
                log.add("greenlet sleeps");
                sleep(Duration.ofMillis(30));
                log.add("greenlet woke");
                return Spindle.currentTask() != null;
            });
            assertEquals(true, g.switchTo());
            other.await();
        });
        // The other coroutine was spawned first, so it starts first; then it runs while the greenlet sleeps.
        assertEquals(List.of("other 0", "greenlet sleeps", "other 1", "other 2", "greenlet woke"), log);
    }

    @Test
    void cancellingTheRootWhileAChildWaitsCancelsTheChild() {
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        runTest(() -> {
            AtomicReference<Greenlet> child = new AtomicReference<>();
            Task<Object> root = spawn(() -> {
                child.set(new Greenlet(args -> {
                    try {
                        sleep(Duration.ofSeconds(60));
                        return "unreached";
                    } catch (Cancelled c) {
                        log.add("child cancelled: " + c.getMessage());
                        throw c;
                    }
                }));
                return child.get().switchTo();
            });
            sleep(Duration.ofMillis(10));
            root.cancel("stop");
            assertThrows(Cancelled.class, root::await);
            assertTrue(root.isCancelled());
            assertTrue(child.get().isDead());
        });
        assertEquals(List.of("child cancelled: stop"), log);
    }

    @Test
    void aCancelArrivingWithTheSwitchBackLosesNoValue() {
        run(() -> {
            AtomicReference<Task<?>> rootTask = new AtomicReference<>();
            List<Object> got = Collections.synchronizedList(new ArrayList<>());
            Task<Void> root = spawn(() -> {
                Greenlet g = new Greenlet(args -> {
                    rootTask.get().cancel("late"); // the root wakes with both the cancel and the value
                    return "value";
                });
                got.add(g.switchTo());
                sleep(Duration.ZERO); // the pending cancel is delivered here
                got.add("unreached");
            });
            rootTask.set(root);
            assertThrows(Cancelled.class, root::await);
            assertEquals(List.of("value"), got);
        });
    }

    @Test
    void aTimeoutAroundASwitchEndsTheChild() {
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        runTest(() -> {
            Greenlet g = new Greenlet(args -> {
                try {
                    sleep(Duration.ofSeconds(60));
                    return "unreached";
                } finally {
                    log.add("child finally");
                }
            });
            assertThrows(TimedOut.class, () -> Spindle.withTimeout(Duration.ofMillis(20), () -> g.switchTo()));
            assertTrue(g.isDead());
            sleep(Duration.ZERO); // nothing left pending
            assertEquals("still usable", new Greenlet(args -> "still usable").switchTo());
        });
        assertEquals(List.of("child finally"), log);
    }

    @Test
    void aChildWhoseTaskIsCancelledBeforeItStartsRaisesCancelledInTheParent() {
        run(() -> {
            Task<?> me = Task.currentOrNull();
            Greenlet g = new Greenlet(args -> "unreached");
            // Runs in the next pass before the greenlet's task does, and cancels that task before it begins.
            spawn(() -> {
                for (Task<?> t : me.loop().allTasks()) {
                    if (t != me && t != Task.currentOrNull()) {
                        t.cancel("too early");
                    }
                }
            });
            assertThrows(Cancelled.class, g::switchTo);
            assertTrue(g.isDead());
            sleep(Duration.ZERO); // the root itself was not cancelled
        });
    }

    @Test
    void switchToIsACancellationPoint() {
        run(() -> {
            Greenlet g = new Greenlet(args -> "ran");
            Task.current().cancel("pending");
            assertThrows(Cancelled.class, g::switchTo);
            assertFalse(g.isStarted());
            assertEquals("ran", g.switchTo());
        });
    }

    @Test
    void suspendedGreenletsAreKilledWhenTheirRootFinishes() {
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        run(() -> {
            AtomicReference<Greenlet> left = new AtomicReference<>();
            Task<Void> root = spawn(() -> {
                Greenlet rootGreenlet = Greenlet.current();
                left.set(new Greenlet(args -> {
                    try {
                        rootGreenlet.switchTo("suspended");
                        log.add("unreached");
                    } catch (GreenletExit e) {
                        log.add("killed");
                        throw e;
                    } finally {
                        log.add("finally");
                    }
                    return null;
                }));
                assertEquals("suspended", left.get().switchTo());
            });
            root.await();
            for (int i = 0; i < 5 && !left.get().isDead(); i++) {
                sleep(Duration.ZERO);
            }
            assertTrue(left.get().isDead());
        });
        assertEquals(List.of("killed", "finally"), log);

        // The same when the root is the main coroutine: Spindle.run still returns.
        log.clear();
        run(() -> {
            Greenlet main = Greenlet.current();
            Greenlet g = new Greenlet(args -> {
                try {
                    return main.switchTo("suspended");
                } finally {
                    log.add("finally at shutdown");
                }
            });
            assertEquals("suspended", g.switchTo());
        });
        assertEquals(List.of("finally at shutdown"), log);
    }

    // ---- rooted on a platform thread -----------------------------------------------------------------------

    @Test
    void onAPlatformThreadGreenletsRunOnThatThreadEvenAcrossJdkBlocking() throws Exception {
        onFreshPlatformThread(() -> {
            Thread me = Thread.currentThread();
            List<Thread> carriers = new ArrayList<>();
            Greenlet g = new Greenlet(args -> {
                carriers.add(Carrier.currentCarrier());
                Thread.sleep(2); // comes back through the JDK's timer thread
                carriers.add(Carrier.currentCarrier());
                try (Generator<Integer> numbers = Generator.of(out -> {
                    carriers.add(Carrier.currentCarrier());
                    out.yield(1);
                })) {
                    return numbers.next();
                }
            });
            assertEquals(1, (int) g.switchTo());
            assertEquals(List.of(me, me, me), carriers);
        });
    }

    @Test
    void aVirtualThreadThatIsNotACoroutineCannotRootGreenlets() throws Exception {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread t = Thread.ofVirtual().start(() -> {
            try {
                Greenlet.current();
            } catch (Throwable e) {
                thrown.set(e);
            }
        });
        t.join();
        assertInstanceOf(IllegalStateException.class, thrown.get());
    }
}
