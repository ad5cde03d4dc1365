package dev.spindle.examples;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Prints {@code [0.30s] message} lines, timed from when it was made, and keeps the messages (without the times) so
 * that tests can check their order.
 *
 * <p>No lock is needed although many coroutines write to it: they all run on the loop's one thread, one at a time.
 */
public final class Timeline {
    private final PrintStream out;
    private final long start = System.nanoTime();
    private final List<String> events = new ArrayList<>();

    public Timeline(PrintStream out) {
        this.out = out;
    }

    /** Prints {@code message} with the time since this timeline began. */
    public void say(String message) {
        events.add(message);
        out.printf("[%.2fs] %s%n", elapsed(), message);
    }

    /** Seconds since this timeline began. */
    public double elapsed() {
        return (System.nanoTime() - start) / 1e9;
    }

    /** The messages said so far, in order. */
    public List<String> events() {
        return List.copyOf(events);
    }

    /** {@code duration} in seconds, for printing. */
    public static double seconds(Duration duration) {
        return duration.toNanos() / 1e9;
    }
}
