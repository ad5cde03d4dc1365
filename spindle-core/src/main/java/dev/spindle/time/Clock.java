package dev.spindle.time;

/**
 * A loop's source of time: a monotonic count of nanoseconds. The loop asks its clock for "now" when it orders
 * timers, so a test loop can run on a clock that jumps instead of waiting ({@link dev.spindle.test.TestLoop}'s
 * virtual time, whose loop moves its clock to the next timer's deadline when it has nothing else to do). A loop
 * made on any other clock waits for its timers in real time, by {@link System#nanoTime()}, until this clock says
 * they are due.
 *
 * {@snippet :
 * Loop loop = Loop.create(Clock.system());
 * long now = loop.clock().nanoTime();
 * }
 */
@FunctionalInterface
public interface Clock {
    /** A monotonic reading in nanoseconds; only differences between readings mean anything. */
    long nanoTime();

    /** The JVM's monotonic clock, {@link System#nanoTime()}. */
    static Clock system() {
        return SystemClock.INSTANCE;
    }
}
