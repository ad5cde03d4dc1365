package dev.spindle.sync;

import dev.spindle.loop.Loop;
import dev.spindle.task.Coroutine;
import dev.spindle.time.Clock;
import java.time.Duration;

/**
 * A clock that moves only when told, so that a test can make a timer (a timeout's deadline, a callback) fire in a
 * chosen pass of the loop: advance it, then {@code sleep(Duration.ZERO)}, and the next pass runs what became due.
 */
final class ManualClock implements Clock {
    private volatile long now = 1_000_000_000L;

    @Override
    public long nanoTime() {
        return now;
    }

    void advance(Duration d) {
        now += d.toNanos();
    }

    /** Runs {@code main} on a new loop driven by this clock, and closes the loop. */
    <T> T run(Coroutine<T> main) {
        try (Loop loop = Loop.create(this)) {
            return loop.runUntilComplete(main);
        }
    }
}
