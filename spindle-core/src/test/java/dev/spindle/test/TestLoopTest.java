package dev.spindle.test;

import static dev.spindle.Spindle.sleep;
import static dev.spindle.Spindle.spawn;
import static dev.spindle.Spindle.toThread;
import static dev.spindle.Spindle.waitFor;
import static dev.spindle.Spindle.withTimeout;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.Spindle;
import dev.spindle.io.Connection;
import dev.spindle.io.Server;
import dev.spindle.io.Streams;
import dev.spindle.loop.Loop;
import dev.spindle.task.Cancelled;
import dev.spindle.task.Task;
import dev.spindle.time.TimedOut;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link TestLoop}: virtual time, the jump rule, manual control, and the checks of {@link TestLoop#run}. */
@Timeout(60)
class TestLoopTest {
    static final Duration HOUR = Duration.ofHours(1);

    static Duration elapsed() {
        return TestLoop.current().elapsed();
    }

    @Nested
    class VirtualTimeJumps {
        @Test
        void anHourOfSleepEndsAtOnceWithTheClockAtExactlyAnHour() {
            // the test's own timeout (60 s of real time) is what shows the hour was not waited for
            Duration shown = TestLoop.virtual().run(() -> {
                sleep(HOUR);
                return elapsed();
            });
            assertEquals(HOUR, shown);
        }

        @Test
        void timersFireAtTheirExactDeadlinesEarliestFirstTiesInSchedulingOrder() {
            List<String> events = TestLoop.virtual().run(() -> {
                List<String> log = new ArrayList<>();
                Loop loop = Loop.current();
                loop.callLater(Duration.ofSeconds(5), () -> log.add("5s-a@" + elapsed()));
                loop.callLater(Duration.ofSeconds(1), () -> log.add("1s@" + elapsed()));
                loop.callLater(Duration.ofSeconds(5), () -> log.add("5s-b@" + elapsed()));
                Task<Void> sleeper = spawn(() -> {
                    sleep(Duration.ofMillis(2500));
                    log.add("slept@" + elapsed());
                });
                sleep(Duration.ofSeconds(6));
                assertTrue(sleeper.isDone());
                log.add("main@" + elapsed());
                return log;
            });
            assertEquals(List.of("1s@PT1S", "slept@PT2.5S", "5s-a@PT5S", "5s-b@PT5S", "main@PT6S"), events);
        }

        @Test
        void aWaitForThatTimesOutRaisesExactlyWhenTheClockPassesItsDeadline() {
            TestLoop.virtual().run(() -> {
                Task<String> slow = spawn("slow", () -> {
                    sleep(Duration.ofSeconds(10));
                    return "late";
                });
                Task<Void> observer = spawn(() -> sleep(Duration.ofMillis(2999)));
                assertThrows(TimedOut.class, () -> waitFor(Duration.ofSeconds(3), slow));
                assertEquals(Duration.ofSeconds(3), elapsed());
                assertTrue(observer.isDone(), "a timer due a millisecond earlier fired first");
                assertTrue(slow.isCancelled());
                return null;
            });
        }

        @Test
        void aTimeoutThatIsCancelledEarlyDoesNotMoveTheClockToItsDeadline() {
            TestLoop.virtual().run(() -> {
                assertEquals("quick", withTimeout(HOUR, () -> {
                    sleep(Duration.ofSeconds(1));
                    return "quick";
                }));
                sleep(Duration.ofSeconds(1));
                assertEquals(Duration.ofSeconds(2), elapsed(), "the cancelled timer's deadline is never jumped to");
                return null;
            });
        }

        @Test
        void theSameTestGivesTheSameInterleavingOnEveryRun() {
            List<List<String>> runs = new ArrayList<>();
            for (int run = 0; run < 5; run++) {
                runs.add(TestLoop.virtual().run(() -> {
                    List<String> log = new ArrayList<>();
                    List<Task<Void>> tasks = new ArrayList<>();
                    for (int i = 0; i < 8; i++) {
                        int k = i;
                        tasks.add(spawn(() -> {
                            for (int step = 0; step < 4; step++) {
                                sleep(Duration.ofMillis((k * 7 + step * 3) % 5)); // zero sometimes: just a yield
                                log.add(k + "." + step + "@" + elapsed().toMillis());
                            }
                        }));
                    }
                    Spindle.gather(tasks);
                    return log;
                }));
            }
            for (List<String> r : runs) {
                assertEquals(runs.getFirst(), r);
            }
            assertEquals(32, runs.getFirst().size());
        }
    }

    @Nested
    class WhatIsInFlightIsWaitedFor {
        @Test
        void aToThreadJobIsWaitedForInRealTimeBeforeTheClockJumps() {
            TestLoop.virtual().run(() -> {
                Task<Void> sleeper = spawn(() -> sleep(Duration.ofSeconds(1)));
                // real time, above the auto-jump threshold: a toThread job is never skipped
                String got = toThread(() -> {
                    Thread.sleep(50);
                    return "done";
                });
                assertEquals("done", got);
                assertEquals(Duration.ZERO, elapsed(), "the clock stayed while the job ran");
                assertFalse(sleeper.isDone());
                sleep(Duration.ofSeconds(1));
                return null;
            });
        }

        @Test
        void aJobCancelledBeforeItStartedDoesNotHoldTheClockBack() {
            ExecutorService one = Executors.newSingleThreadExecutor();
            CountDownLatch release = new CountDownLatch(1);
            try {
                TestLoop.virtual().run(() -> {
                    Task<Void> busy = spawn(() -> {
                        Spindle.runInExecutor(one, () -> {
                            release.await();
                            return null;
                        });
                    });
                    Task<Void> queued = spawn(() -> {
                        Spindle.runInExecutor(one, () -> "never");
                    });
                    sleep(Duration.ZERO);
                    queued.cancel();
                    release.countDown();
                    busy.await();
                    assertTrue(queued.isCancelled());
                    sleep(HOUR); // would wait forever if the cancelled job were still counted
                    assertEquals(HOUR, elapsed());
                    return null;
                });
            } finally {
                one.shutdownNow();
            }
        }

        @Test
        void aLocalSocketsBytesAreNotSkippedAndAnIdleServerDoesNotHangTheTest() {
            // a generous threshold: the plain-thread peer below is a real thread on a busy machine; each jump made
            // while
            // the server waits for clients costs one threshold of real time
            TestOptions options = TestOptions.defaults().withAutoJumpThreshold(Duration.ofMillis(100));
            TestLoop.create(options).run(() -> {
                List<String> log = new ArrayList<>();
                Server server = Streams.startServer(
                        (r, w) -> {
                            String line = new String(r.readLine(), StandardCharsets.UTF_8).strip();
                            log.add("server got " + line + "@" + elapsed());
                            sleep(Duration.ofMinutes(10)); // virtual: the reply comes ten minutes later
                            w.write(("re " + line + "\n").getBytes(StandardCharsets.UTF_8));
                            w.drain();
                        },
                        "127.0.0.1",
                        0);
                int port = ((InetSocketAddress) server.addresses().getFirst()).getPort();
                Task<Void> sleeper = spawn(() -> {
                    sleep(Duration.ofSeconds(1));
                    log.add("sleeper@" + elapsed());
                });

                // a plain JDK client on its own thread: its bytes come from outside the loop
                Thread peer = Thread.ofPlatform().start(() -> {
                    try (Socket s = new Socket("127.0.0.1", port)) {
                        OutputStream out = s.getOutputStream();
                        out.write("hello\n".getBytes(StandardCharsets.UTF_8));
                        out.flush();
                        InputStream in = s.getInputStream();
                        in.readAllBytes();
                    } catch (Exception e) {
                        throw new RuntimeException(e);
                    }
                });

                // a Spindle client in the loop
                try (Connection c = Streams.openConnection("127.0.0.1", port)) {
                    c.writer().write("ping\n".getBytes(StandardCharsets.UTF_8));
                    String reply = withTimeout(HOUR, () -> new String(c.reader().readLine(), StandardCharsets.UTF_8));
                    assertEquals("re ping\n", reply);
                }
                assertEquals(Duration.ofMinutes(10), elapsed(), "the reply was waited for, in virtual time");
                sleeper.await();
                sleep(HOUR); // the server still waits for clients: the clock jumps anyway after the threshold
                server.close();
                server.waitClosed();
                Spindle.toThread(() -> {
                    peer.join();
                    return null;
                });
                assertTrue(log.contains("server got hello@PT0S"), log.toString());
                assertTrue(log.contains("server got ping@PT0S"), log.toString());
                assertTrue(log.contains("sleeper@PT1S"), log.toString());
                return null;
            });
        }
    }

    @Nested
    class ManualControl {
        @Test
        void advanceFromTheOwningThreadRunsTimersUpToThereAndSetsTheClock() {
            try (TestLoop t = TestLoop.manual()) {
                List<String> log = new ArrayList<>();
                Task<Void> sleeper = t.loop().spawn(() -> {
                    sleep(Duration.ofSeconds(5));
                    log.add("woke@" + t.elapsed());
                    return null;
                });
                t.runUntilIdle();
                assertEquals(Duration.ZERO, t.elapsed());
                assertFalse(sleeper.isDone());
                t.advance(Duration.ofSeconds(3));
                assertEquals(Duration.ofSeconds(3), t.elapsed());
                assertFalse(sleeper.isDone());
                t.advance(Duration.ofSeconds(2));
                assertTrue(sleeper.isDone(), "a timer due exactly at the end runs, and what it wakes");
                assertEquals(List.of("woke@PT5S"), log);
                assertEquals(Duration.ofSeconds(5), t.elapsed());
            }
        }

        @Test
        void runUntilIdleRunsWhatIsRunnableWithoutMovingTheClock() {
            try (TestLoop t = TestLoop.virtual()) {
                List<Integer> log = new ArrayList<>();
                t.loop().spawn(() -> {
                    for (int i = 0; i < 3; i++) {
                        log.add(i);
                        sleep(Duration.ZERO);
                    }
                    sleep(HOUR);
                    log.add(99);
                    return null;
                });
                t.runUntilIdle();
                assertEquals(List.of(0, 1, 2), log);
                assertEquals(Duration.ZERO, t.elapsed());
                t.advanceUntilIdle();
                assertEquals(List.of(0, 1, 2, 99), log);
                assertEquals(HOUR, t.elapsed());
            }
        }

        @Test
        void inManualModeACoroutineAdvancesTheClockAndNothingElseDoes() {
            TestLoop.manual().run(() -> {
                TestLoop t = TestLoop.current();
                Task<Void> sleeper = spawn(() -> sleep(Duration.ofSeconds(5)));
                t.runUntilIdle();
                assertEquals(Duration.ZERO, elapsed(), "idle, but manual time does not jump");
                t.advance(Duration.ofSeconds(3));
                assertEquals(Duration.ofSeconds(3), elapsed());
                assertFalse(sleeper.isDone());
                t.advance(Duration.ofSeconds(2));
                assertTrue(sleeper.isDone());
                return null;
            });
        }

        @Test
        void runUntilIdleInACoroutineReturnsOnceEveryOtherCoroutineWaits() {
            TestLoop.virtual().run(() -> {
                List<Integer> log = new ArrayList<>();
                spawn(() -> {
                    for (int i = 0; i < 3; i++) {
                        log.add(i);
                        sleep(Duration.ZERO);
                    }
                    sleep(Duration.ofSeconds(1));
                    log.add(99);
                });
                TestLoop.current().runUntilIdle();
                assertEquals(List.of(0, 1, 2), log, "idle before the one-second timer is jumped to");
                assertEquals(Duration.ZERO, elapsed());
                sleep(Duration.ofSeconds(2));
                assertEquals(List.of(0, 1, 2, 99), log);
                return null;
            });
        }

        @Test
        void aCancelledRunUntilIdleWaiterLeavesQuietly() {
            TestLoop.virtual().run(() -> {
                // (a) cancelled while parked
                Task<Void> waiter = spawn(() -> TestLoop.current().runUntilIdle());
                sleep(Duration.ZERO);
                waiter.cancel();
                assertThrows(Cancelled.class, waiter::await);
                // (b) woken (the loop went idle) and cancelled in the same pass, before it ran
                Task<Void> second = spawn(() -> TestLoop.current().runUntilIdle());
                Loop.current().callLater(Duration.ofSeconds(1), second::cancel);
                sleep(Duration.ofSeconds(2));
                assertTrue(second.isDone());
                return null; // TestLoop.run fails if an exception reached the loop's handler on the way
            });
        }

        @Test
        void realTimeCannotBeAdvanced() {
            try (TestLoop t = TestLoop.real()) {
                assertThrows(IllegalStateException.class, () -> t.advance(Duration.ofSeconds(1)));
                assertThrows(IllegalStateException.class, t::runUntilIdle);
                assertFalse(t.isVirtual());
            }
        }
    }

    @Nested
    class Checks {
        @Test
        void aTaskLeftRunningFailsTheRunNamingItAndIsCancelled() {
            List<Task<?>> leaked = new ArrayList<>();
            AssertionError e =
                    assertThrows(AssertionError.class, () -> TestLoop.virtual().run(() -> {
                        leaked.add(spawn("forgotten-worker", () -> sleep(HOUR)));
                        sleep(Duration.ofSeconds(1));
                        return null;
                    }));
            assertTrue(e.getMessage().contains("Task 'forgotten-worker'"), e.getMessage());
            assertTrue(e.getMessage().contains("still running"), e.getMessage());
            assertTrue(leaked.getFirst().isCancelled());
        }

        @Test
        void anExceptionNeverRetrievedFailsTheRunNamingTheTask() {
            AssertionError e =
                    assertThrows(AssertionError.class, () -> TestLoop.virtual().run(() -> {
                        spawn("careless", () -> {
                            throw new IllegalStateException("boom");
                        });
                        sleep(Duration.ofSeconds(1));
                        return null;
                    }));
            assertTrue(e.getMessage().contains("Task 'careless'"), e.getMessage());
            assertTrue(e.getMessage().contains("never retrieved"), e.getMessage());
            assertInstanceOf(IllegalStateException.class, e.getSuppressed()[0]);
        }

        @Test
        void aStepHoldingTheLoopPastTheLimitFailsTheRun() {
            TestOptions options = TestOptions.defaults().withSlowStepLimit(Duration.ofMillis(20));
            AssertionError e = assertThrows(
                    AssertionError.class, () -> TestLoop.create(options).run(() -> {
                        spawn("hog", () -> {
                                    long until = System.nanoTime()
                                            + Duration.ofMillis(60).toNanos();
                                    while (System.nanoTime() < until) {
                                        Thread.onSpinWait(); // holds the loop: no park
                                    }
                                })
                                .await();
                        return null;
                    }));
            assertTrue(e.getMessage().contains("hog"), e.getMessage());
        }

        @Test
        void aRunPastItsRealTimeTimeoutIsCancelledAndFailsShowingWhereTasksWere() {
            TestOptions options = TestOptions.defaults().withTimeout(Duration.ofMillis(100));
            AssertionError e = assertThrows(
                    AssertionError.class, () -> TestLoop.create(options).run("stuck", () -> {
                        Thread.sleep(HOUR); // a JDK sleep: real time
                        return null;
                    }));
            assertTrue(e.getMessage().contains("timed out"), e.getMessage());
            assertTrue(e.getMessage().contains("Task 'stuck'"), e.getMessage());
            assertTrue(e.getMessage().contains("Thread.sleep"), e.getMessage());
        }

        @Test
        void aDeadlockedVirtualLoopTimesOutSayingSo() {
            TestOptions options = TestOptions.defaults().withTimeout(Duration.ofMillis(100));
            AssertionError e = assertThrows(
                    AssertionError.class, () -> TestLoop.create(options).run(() -> {
                        Loop.current().createFuture().await(); // nobody will ever complete it
                        return null;
                    }));
            assertTrue(e.getMessage().contains("deadlock"), e.getMessage());
        }

        @Test
        void theMainFailureWinsAndTheFindingsComeSuppressed() {
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class, () -> TestLoop.virtual().run(() -> {
                        spawn("left", () -> sleep(HOUR));
                        sleep(Duration.ZERO);
                        throw new IllegalArgumentException("the test's own failure");
                    }));
            assertEquals("the test's own failure", e.getMessage());
            assertTrue(e.getSuppressed()[0].getMessage().contains("Task 'left'"));
        }
    }
}
