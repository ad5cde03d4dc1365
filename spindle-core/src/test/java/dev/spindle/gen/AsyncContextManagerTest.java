package dev.spindle.gen;

import static dev.spindle.Spindle.createFuture;
import static dev.spindle.Spindle.sleep;
import static dev.spindle.Spindle.spawn;
import static dev.spindle.Spindle.withTimeout;
import static dev.spindle.test.TestLoop.runTest;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.loop.Loop;
import dev.spindle.task.Cancelled;
import dev.spindle.task.LoopFuture;
import dev.spindle.task.Task;
import dev.spindle.time.TimedOut;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link AsyncContextManager}: both forms, what the body's cleanup sees, and the errors of a wrong body. */
class AsyncContextManagerTest {
    private static final Duration HOUR = Duration.ofHours(1);

    private final List<String> log = new ArrayList<>();

    /** A "connection" whose opening and closing await; logs what its cleanup sees. */
    private AsyncContextManager<String> connection() {
        return AsyncContextManager.of(out -> {
            sleep(Duration.ofMillis(1));
            log.add("open");
            try {
                out.yield("conn");
            } catch (Exception e) {
                log.add("saw " + e.getMessage());
                throw e;
            } finally {
                sleep(Duration.ofMillis(1));
                log.add("close");
            }
        });
    }

    private static List<Task<?>> otherTasks() {
        List<Task<?>> all = new ArrayList<>(Loop.current().allTasks());
        all.remove(Task.current());
        return all;
    }

    // ---- form A: use(block) -----------------------------------------------------------------------------

    @Test
    void useEntersRunsTheBlockAndLeavesReturningItsResult() {
        runTest(() -> {
            String r = connection().use(c -> {
                log.add("using " + c);
                return c.toUpperCase();
            });
            assertEquals("CONN", r);
            assertEquals(List.of("open", "using conn", "close"), log);
            assertEquals(List.of(), otherTasks());
        });
    }

    @Test
    void theBlocksExceptionIsThrownInAtTheYieldAndRethrownUnchanged() {
        runTest(() -> {
            IOException boom = new IOException("query failed");
            Exception e = assertThrows(Exception.class, () -> connection().use(c -> {
                throw boom;
            }));
            assertSame(boom, e);
            assertEquals(List.of("open", "saw query failed", "close"), log);
        });
    }

    @Test
    void aBodyThatSwallowsTheExceptionSuppressesItAndUseReturnsNull() {
        runTest(() -> {
            AsyncContextManager<String> suppressing = AsyncContextManager.of(out -> {
                try {
                    out.yield("r");
                } catch (IllegalStateException e) {
                    sleep(Duration.ZERO);
                    log.add("suppressed " + e.getMessage());
                }
            });
            String r = suppressing.use(c -> {
                throw new IllegalStateException("oops");
            });
            assertNull(r);
            assertEquals(List.of("suppressed oops"), log);
        });
    }

    @Test
    void aBodyThatRaisesAnotherExceptionReplacesTheBlocksOne() {
        runTest(() -> {
            IOException replacement = new IOException("rollback failed");
            AsyncContextManager<String> replacing = AsyncContextManager.of(out -> {
                try {
                    out.yield("r");
                } catch (IllegalStateException e) {
                    throw replacement;
                }
            });
            Exception e = assertThrows(
                    Exception.class,
                    () -> replacing.use(c -> {
                        throw new IllegalStateException("oops");
                    }));
            assertSame(replacement, e);
        });
    }

    @Test
    void cancellingTheBlockLetsTheCleanupSeeTheCancellation() {
        runTest(() -> {
            LoopFuture<Void> inside = createFuture();
            Task<String> user = spawn(() -> connection().use(c -> {
                inside.setResult(null);
                sleep(HOUR);
                return "never";
            }));
            inside.await();
            user.cancel("shutting down");
            assertThrows(Cancelled.class, user::await);
            assertEquals(List.of("open", "saw shutting down", "close"), log, "the cleanup ran to its end");
        });
    }

    @Test
    void aTimeoutAroundUseEndsWithTimedOutAfterTheCleanup() {
        runTest(() -> {
            AsyncContextManager<String> cm = AsyncContextManager.of(out -> {
                log.add("open");
                try {
                    out.yield("r");
                } finally {
                    sleep(Duration.ZERO);
                    log.add("close");
                }
            });
            assertThrows(
                    TimedOut.class,
                    () -> withTimeout(
                            Duration.ofMillis(5),
                            () -> cm.use(c -> {
                                sleep(HOUR);
                                return null;
                            })));
            assertEquals(List.of("open", "close"), log);
        });
    }

    @Test
    void aCancelArrivingInTheSamePassAsTheYieldStillLeavesTheResource() {
        runTest(() -> {
            LoopFuture<Void> gate = createFuture();
            AsyncContextManager<String> cm = AsyncContextManager.of(out -> {
                gate.await();
                log.add("open");
                try {
                    out.yield("r");
                } finally {
                    sleep(Duration.ZERO);
                    log.add("close");
                }
            });
            Task<String> user = spawn(() -> cm.use(c -> {
                log.add("block ran");
                return c;
            }));
            sleep(Duration.ZERO);
            sleep(Duration.ZERO); // the user waits for the body, which waits for the gate
            LoopFuture<Void> done = createFuture();
            Loop.current().callSoon(() -> {
                gate.setResult(null); // the body yields first...
                user.cancel(); // ...and the user sees its cancel before the value
                done.setResult(null);
            });
            done.await();
            assertThrows(Cancelled.class, user::await);
            assertEquals(List.of("open", "close"), log);
            assertEquals(List.of(), otherTasks());
        });
    }

    @Test
    void eachUseRunsTheBodyAnew() {
        runTest(() -> {
            AsyncContextManager<String> cm = connection();
            cm.use(c -> null);
            cm.use(c -> null);
            assertEquals(List.of("open", "close", "open", "close"), log);
        });
    }

    @Test
    void aFailingSetupComesOutOfUseAndTheBlockNeverRuns() {
        runTest(() -> {
            IOException refused = new IOException("connection refused");
            AsyncContextManager<String> failing = AsyncContextManager.of(out -> {
                sleep(Duration.ZERO);
                throw refused;
            });
            assertSame(
                    refused,
                    assertThrows(
                            IOException.class,
                            () -> failing.use(c -> {
                                log.add("block ran");
                                return null;
                            })));
            assertEquals(List.of(), log);
        });
    }

    @Test
    void cancellingWhileEnteringCancelsTheSetupAndNeverRunsTheBlock() {
        runTest(() -> {
            AsyncContextManager<String> cm = AsyncContextManager.of(out -> {
                try {
                    sleep(HOUR); // a slow connect
                } catch (Cancelled c) {
                    log.add("setup cancelled");
                    throw c;
                }
                out.yield("never");
            });
            Task<String> user = spawn(() -> cm.use(c -> {
                log.add("block ran");
                return c;
            }));
            sleep(Duration.ZERO);
            sleep(Duration.ZERO);
            user.cancel();
            assertThrows(Cancelled.class, user::await);
            assertEquals(List.of("setup cancelled"), log);
            assertEquals(List.of(), otherTasks());
        });
    }

    // ---- wrong bodies -----------------------------------------------------------------------------------

    @Test
    void aBodyThatDoesNotYieldIsAnError() {
        runTest(() -> {
            AsyncContextManager<String> noYield = AsyncContextManager.of(out -> log.add("returned"));
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> noYield.use(c -> null));
            assertTrue(e.getMessage().contains("did not yield"), e.getMessage());
            assertThrows(IllegalStateException.class, noYield::enter);
        });
    }

    @Test
    void aBodyThatYieldsTwiceIsAnErrorAndIsClosed() {
        runTest(() -> {
            AsyncContextManager<String> twice = AsyncContextManager.of(out -> {
                try {
                    out.yield("a");
                    out.yield("b");
                } finally {
                    log.add("closed");
                }
            });
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> twice.use(c -> "r"));
            assertTrue(e.getMessage().contains("did not stop"), e.getMessage());
            assertEquals(List.of("closed"), log);

            IllegalStateException inBlock = new IllegalStateException("block failed");
            AsyncContextManager<String> catchesAndYields = AsyncContextManager.of(out -> {
                try {
                    out.yield("a");
                } catch (IllegalStateException x) {
                    out.yield("again");
                }
            });
            IllegalStateException e2 = assertThrows(
                    IllegalStateException.class,
                    () -> catchesAndYields.use(c -> {
                        throw inBlock;
                    }));
            assertTrue(e2.getMessage().contains("did not stop"), e2.getMessage());
            assertSame(inBlock, e2.getSuppressed()[0]);

            try (AsyncContextManager.Entered<String> entered = twice.enter()) {
                assertEquals("a", entered.value());
                log.clear();
                IllegalStateException e3 = assertThrows(IllegalStateException.class, entered::close);
                assertTrue(e3.getMessage().contains("did not stop"));
                assertEquals(List.of("closed"), log);
            }
        });
    }

    // ---- form B: enter() and try-with-resources ---------------------------------------------------------

    @Test
    void enterAndCloseSuspendWhileOtherTasksRun() {
        runTest(() -> {
            LoopFuture<Void> opened = createFuture();
            LoopFuture<Void> closed = createFuture();
            AsyncContextManager<String> slow = AsyncContextManager.of(out -> {
                opened.await(); // set by another task: only possible if entering suspends
                log.add("open");
                try {
                    out.yield("res");
                } finally {
                    closed.await();
                    log.add("close");
                }
            });
            spawn(() -> {
                log.add("other task during enter");
                opened.setResult(null);
            });
            try (AsyncContextManager.Entered<String> e = slow.enter()) {
                assertEquals("res", e.value());
                spawn(() -> {
                    log.add("other task during close");
                    closed.setResult(null);
                });
            }
            assertEquals(List.of("other task during enter", "open", "other task during close", "close"), log);
        });
    }

    @Test
    void tryWithResourcesResumesTheBodyNormallyEvenWhenTheBlockThrew() {
        runTest(() -> {
            IllegalStateException boom = new IllegalStateException("block failed");
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> {
                try (AsyncContextManager.Entered<String> entered = connection().enter()) {
                    assertEquals("conn", entered.value());
                    throw boom;
                }
            });
            assertSame(boom, e);
            // the limitation documented on Entered.close(): the cleanup ran, but did not see the exception
            assertEquals(List.of("open", "close"), log);
        });
    }

    @Test
    void aFailingCleanupIsAddedToTheBlocksExceptionAsSuppressed() {
        runTest(() -> {
            IOException cleanupFailed = new IOException("flush failed");
            AsyncContextManager<String> cm = AsyncContextManager.of(out -> {
                try {
                    out.yield("r");
                } finally {
                    sleep(Duration.ZERO);
                    throw cleanupFailed;
                }
            });
            IllegalStateException boom = new IllegalStateException("block failed");
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> {
                try (AsyncContextManager.Entered<String> entered = cm.enter()) {
                    throw boom;
                }
            });
            assertSame(boom, e);
            assertSame(cleanupFailed, e.getSuppressed()[0]);
            AsyncContextManager.Entered<String> entered = cm.enter();
            assertSame(cleanupFailed, assertThrows(IOException.class, entered::close));
            entered.close(); // a second close does nothing
        });
    }
}
