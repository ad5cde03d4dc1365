package dev.spindle.loop;

import static dev.spindle.Spindle.run;
import static dev.spindle.Spindle.sleep;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.io.Streams;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Interrupting a loop's own thread stops the loop with LoopInterrupted instead of leaving it spinning. */
@Timeout(20)
class LoopInterruptedTest {
    @Test
    void anInterruptedIdleLoopStopsAndRunCleansUp() throws Exception {
        checkStops(false);
    }

    @Test
    void anInterruptedLoopWaitingOnItsSelectorStopsToo() throws Exception {
        checkStops(true);
    }

    private static void checkStops(boolean withIo) throws Exception {
        CountDownLatch waiting = new CountDownLatch(1);
        AtomicBoolean cleanedUp = new AtomicBoolean();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread t = Thread.ofPlatform().start(() -> {
            try {
                run(() -> {
                    if (withIo) {
                        Streams.startServer((r, w) -> {}, "127.0.0.1", 0); // installs the selector poller
                    }
                    waiting.countDown();
                    try {
                        sleep(Duration.ofHours(1));
                    } finally {
                        cleanedUp.set(true); // Spindle.run cancelled the task on its way out
                    }
                });
            } catch (Throwable e) {
                thrown.set(e);
            }
        });
        waiting.await();
        Thread.sleep(50); // let the loop park
        t.interrupt();
        t.join(10_000);
        assertInstanceOf(LoopInterrupted.class, thrown.get());
        assertTrue(cleanedUp.get(), "the sleeping task was cancelled and its finally ran");
    }
}
