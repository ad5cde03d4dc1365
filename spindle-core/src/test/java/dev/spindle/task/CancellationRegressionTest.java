package dev.spindle.task;

import static dev.spindle.Spindle.currentTask;
import static dev.spindle.Spindle.sleep;
import static dev.spindle.Spindle.spawn;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.spindle.Spindle;
import dev.spindle.loop.Loop;
import dev.spindle.time.TimeoutScope;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.junit.jupiter.api.Test;

/**
 * Regressions for cancellation bugs found while writing the task tests: a withdrawn cancel coming back as an
 * interrupt, and deadlines wrapping around on clocks that read negative. Each comment says what went wrong.
 */
class CancellationRegressionTest {
    private final List<String> events = new ArrayList<>();

    // Regression: Task.uncancel() used to clear mustCancel when the last request is withdrawn, but not
    // the
    // thread interrupt that requestCancel() used to deliver that request to a task blocked in the JDK. If the JDK
    // call returned normally anyway (its data arrived in the same pass as the cancel, so the interrupt came "after
    // the signal" and AQS re-asserts the flag), the flag survives the withdrawal, and Task.park() later reads it as
    // a fresh cancel ("someone interrupted the thread itself"): the next Spindle wait raises Cancelled("interrupted")
    // and cancelling() goes back to 1, although nothing asked for it. (A JDK call instead throws
    // InterruptedException.) Suggested fix: in uncancel(), when cancelRequests drops to 0 and the caller is the
    // task's own thread, also clear the interrupt (Thread.interrupted()), as takeCancel() does. For an uncancel()
    // from another task or callback, remember that the pending interrupt is stale (a flag set by requestCancel when
    // it interrupts, cleared by takeCancel) and have park() drop an interrupt while that flag is set and no
    // cancellation is requested.
    @Test
    void aWithdrawnCancellationDoesNotComeBackAsAnInterrupt() {
        Spindle.run(() -> {
            Loop loop = Loop.current();
            BlockingQueue<String> queue = new ArrayBlockingQueue<>(1);
            Task<String> t = spawn(() -> {
                String v = queue.take(); // returns normally: the value arrived before the interrupt
                assertEquals(0, currentTask().uncancel());
                try {
                    sleep(Duration.ofMillis(1));
                    events.add("slept");
                } catch (Cancelled c) {
                    events.add("Cancelled(" + c.getMessage() + ") after the cancel was withdrawn");
                }
                events.add("cancelling=" + currentTask().cancelling());
                return v;
            });
            sleep(Duration.ZERO); // t blocks in take()
            loop.callSoon(() -> {
                queue.offer("x"); // wakes t...
                t.cancel(); // ...and, in the same pass, interrupts it
            });
            assertEquals("x", t.await());
        });
        assertEquals(List.of("slept", "cancelling=0"), events);
    }

    // Regression: Task.sleep (Task.java, sleep(long), line 275 at 254756a: the SleepTimer change) saturates the
    // deadline with `nanos > Long.MAX_VALUE - now ? Long.MAX_VALUE : now + nanos`. For a negative clock reading
    // (Clock says only differences mean anything; System.nanoTime() may be negative too) `Long.MAX_VALUE - now`
    // overflows to a negative number, so every sleep gets the deadline Long.MAX_VALUE and never ends. Worse, the
    // loop then busy-spins: EventLoop.runOnce computes `next.when - clock.nanoTime()`, which overflows for
    // when == Long.MAX_VALUE and a negative now, so Math.max(0, ...) gives 0 and the loop never waits. Suggested
    // fix: `now > Long.MAX_VALUE - nanos ? Long.MAX_VALUE : now + nanos` (nanos > 0 here, so this cannot overflow),
    // and in runOnce saturate the difference (e.g. Math.subtractExact with a catch, or compare when <= now first).
    // The watchdog below turns the hang into a failure after a few seconds.
    @Test
    void sleepEndsOnALoopWhoseClockReadsNegative() {
        long offset = 1L << 62;
        Loop loop = Loop.create(() -> System.nanoTime() - offset);
        try {
            String r = loop.runUntilComplete(() -> {
                Task<?> me = currentTask();
                Loop.current().callLater(Duration.ofSeconds(5), () -> me.cancel("watchdog: the sleep never ended"));
                try {
                    sleep(Duration.ofMillis(1));
                    return "slept";
                } catch (Cancelled c) {
                    return c.getMessage();
                }
            });
            assertEquals("slept", r);
        } finally {
            loop.close();
        }
    }

    // Regression: the same stale interrupt, as users meet it: a timeout that expires in the same pass as the data its
    // body
    // was blocked on arrives. The body returns normally, the scope withdraws its cancellation (uncancel), and yet
    // the task's next wait is cancelled. Root cause and fix as above (Task.uncancel); TimeoutScope itself is right.
    @Test
    void aTimeoutThatExpiresAsTheBodyCompletesLeavesNoCancellationBehind() {
        Spindle.run(() -> {
            Loop loop = Loop.current();
            BlockingQueue<String> queue = new ArrayBlockingQueue<>(1);
            long deadline = loop.nanoTime() + Duration.ofMillis(5).toNanos();
            loop.callAt(deadline, () -> queue.offer("x")); // due with the deadline, and scheduled first
            TimeoutScope scope = TimeoutScope.at(deadline);
            String v = scope.run(queue::take);
            assertEquals("x", v);
            assertEquals(0, currentTask().cancelling());
            try {
                sleep(Duration.ofMillis(1));
                events.add("slept");
            } catch (Cancelled c) {
                events.add("Cancelled(" + c.getMessage() + ") after the scope ended");
            }
        });
        assertEquals(List.of("slept"), events);
    }
}
