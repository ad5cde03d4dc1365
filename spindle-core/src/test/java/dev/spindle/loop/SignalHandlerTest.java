package dev.spindle.loop;

import static dev.spindle.Spindle.run;
import static dev.spindle.Spindle.sleep;
import static dev.spindle.Spindle.withTimeout;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.sync.LoopEvent;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * {@link Loop#addSignalHandler}, with real signals sent to this JVM by {@code kill}. SIGWINCH is the test's signal:
 * its default action is to do nothing, so a signal that arrives after a test removed its handler harms nobody.
 */
@Isolated // the signal's handler is process-wide
class SignalHandlerTest {
    private static final Duration PATIENCE = Duration.ofSeconds(20); // a hang guard, not a timing assertion

    private static void raise(String signal) {
        try {
            Process p = new ProcessBuilder(
                            "kill",
                            "-" + signal,
                            Long.toString(ProcessHandle.current().pid()))
                    .inheritIO()
                    .start();
            if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new AssertionError("kill -" + signal + " failed");
            }
        } catch (IOException e) {
            throw new AssertionError("cannot run kill (Debian package procps)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Test
    void theCallbackRunsOnTheLoopThreadOncePerSignal() {
        Thread loopThread = Thread.currentThread();
        AtomicReference<Thread> ranOn = new AtomicReference<>();
        AtomicInteger calls = new AtomicInteger();
        run(() -> {
            LoopEvent got = new LoopEvent();
            Loop.current().addSignalHandler("SIGWINCH", () -> {
                ranOn.set(Thread.currentThread());
                calls.incrementAndGet();
                got.set();
            });
            raise("WINCH");
            withTimeout(PATIENCE, got::await);
            got.clear();
            raise("WINCH");
            withTimeout(PATIENCE, got::await);
            assertTrue(Loop.current().removeSignalHandler("winch"), "names are case-blind, SIG optional");
        });
        assertSame(loopThread, ranOn.get(), "on the loop's own thread, not the JVM's signal thread");
        assertEquals(2, calls.get());
    }

    @Test
    void everyLoopThatHandlesTheSignalGetsIt() throws Exception {
        CountDownLatch otherReady = new CountDownLatch(1);
        CompletableFuture<String> other = new CompletableFuture<>();
        Thread t = Thread.ofPlatform()
                .start(() -> run(() -> {
                    LoopEvent got = new LoopEvent();
                    Loop.current().addSignalHandler("WINCH", got::set);
                    otherReady.countDown();
                    withTimeout(PATIENCE, got::await);
                    other.complete("other loop got it");
                }));
        assertTrue(otherReady.await(20, TimeUnit.SECONDS));
        run(() -> {
            LoopEvent got = new LoopEvent();
            Loop.current().addSignalHandler("WINCH", got::set);
            raise("WINCH");
            withTimeout(PATIENCE, got::await);
        });
        assertEquals("other loop got it", other.get(20, TimeUnit.SECONDS));
        t.join();
    }

    @Test
    void aSecondHandlerReplacesTheFirstAndARemovedOneIsNeverCalled() {
        AtomicInteger first = new AtomicInteger();
        AtomicInteger second = new AtomicInteger();
        run(() -> {
            Loop loop = Loop.current();
            LoopEvent got = new LoopEvent();
            loop.addSignalHandler("WINCH", first::incrementAndGet);
            loop.addSignalHandler("WINCH", () -> {
                second.incrementAndGet();
                got.set();
            });
            raise("WINCH");
            withTimeout(PATIENCE, got::await);
            assertTrue(loop.removeSignalHandler("WINCH"));
            assertFalse(loop.removeSignalHandler("WINCH"), "nothing left to remove");
            loop.addSignalHandler("HUP", () -> {}); // keeps the router busy with another signal meanwhile
            raise("WINCH"); // SIGWINCH's default action is to ignore it
            sleep(Duration.ofMillis(300));
            assertTrue(loop.removeSignalHandler("SIGHUP"));
        });
        assertEquals(0, first.get(), "the replaced callback");
        assertEquals(1, second.get(), "the removed callback saw only the signal sent while it was there");
    }

    @Test
    void closingTheLoopGivesTheJvmItsHandlerBack() {
        run(() -> Loop.current().addSignalHandler("WINCH", () -> {}));
        sun.misc.SignalHandler mine = s -> {};
        sun.misc.SignalHandler previous = sun.misc.Signal.handle(new sun.misc.Signal("WINCH"), mine);
        try {
            assertSame(sun.misc.SignalHandler.SIG_DFL, previous, "the JVM's default, not Spindle's router");
        } finally {
            sun.misc.Signal.handle(new sun.misc.Signal("WINCH"), previous);
        }
    }

    @Test
    void wrongSignalsAndClosedLoopsAreRefusedWithTheirReason() {
        run(() -> {
            Loop loop = Loop.current();
            IllegalArgumentException kill =
                    assertThrows(IllegalArgumentException.class, () -> loop.addSignalHandler("KILL", () -> {}));
            assertTrue(kill.getMessage().contains("SIGKILL"), kill.getMessage());
            IllegalArgumentException quit =
                    assertThrows(IllegalArgumentException.class, () -> loop.addSignalHandler("SIGQUIT", () -> {}));
            assertTrue(quit.getMessage().contains("SIGQUIT"), quit.getMessage());
            IllegalArgumentException unknown =
                    assertThrows(IllegalArgumentException.class, () -> loop.addSignalHandler("NOPE", () -> {}));
            assertTrue(unknown.getMessage().contains("NOPE"), unknown.getMessage());
            assertThrows(IllegalArgumentException.class, () -> loop.addSignalHandler(" ", () -> {}));
            assertThrows(NullPointerException.class, () -> loop.addSignalHandler("WINCH", null));
            assertFalse(loop.removeSignalHandler("WINCH"));
        });
        Loop closed = Loop.create();
        closed.close();
        assertThrows(IllegalStateException.class, () -> closed.addSignalHandler("WINCH", () -> {}));
    }
}
