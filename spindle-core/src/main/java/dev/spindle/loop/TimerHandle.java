package dev.spindle.loop;

/**
 * A callback scheduled for a point in the loop's time, returned by {@link Loop#callLater} and {@link Loop#callAt}.
 *
 * {@snippet :
 * TimerHandle h = loop.callLater(Duration.ofSeconds(5), () -> System.out.println("late"));
 * long due = h.when(); // in the loop clock's nanoseconds
 * h.cancel();
 * }
 */
public interface TimerHandle extends Handle {
    /** When the callback is due, in the loop clock's nanoseconds (see {@link Loop#nanoTime()}). */
    long when();
}
