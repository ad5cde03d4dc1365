package dev.spindle.loop;

import java.util.concurrent.CancellationException;

/**
 * Thrown out of {@link Loop#runForever()} or {@link Loop#runUntilComplete} (and so out of
 * {@link dev.spindle.Spindle#run}) when the loop's own platform thread is interrupted while the loop waits: a test's
 * timeout, a shutdown hook, a supervisor stopping the thread. The loop stops rather than spin; as with asyncio's
 * {@code KeyboardInterrupt}, {@code Spindle.run} then cancels the tasks left and closes the loop. The interrupt status
 * is consumed.
 *
 * {@snippet :
 * Thread t = Thread.ofPlatform().start(() -> Spindle.run(() -> sleep(Duration.ofHours(1))));
 * t.interrupt(); // run() throws LoopInterrupted on t, after cancelling the sleeping task
 * }
 */
public final class LoopInterrupted extends CancellationException {
    public LoopInterrupted(String loopName) {
        super("the thread of " + loopName + " was interrupted while the loop waited; the loop stopped");
    }
}
