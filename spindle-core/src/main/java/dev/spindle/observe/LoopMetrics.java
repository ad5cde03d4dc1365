package dev.spindle.observe;

import java.time.Duration;

/**
 * Live figures of one loop, for metrics systems: read from any thread at any time, each read cheap and approximate (a
 * recent value, never a torn one). One per loop, from {@link Metrics#loops()} or a {@link Metrics.LoopListener}.
 *
 * {@snippet :
 * for (LoopMetrics m : Metrics.loops()) {
 *     System.out.printf("%s: %d tasks, %d ready, lag %s%n", m.name(), m.tasksAlive(), m.readyDepth(), m.lag());
 * }
 * }
 *
 * <p>{@link #lag()} and {@link #stepsPerSecond()} come from probes: while {@link Metrics#probeLag} runs (or a JFR
 * recording takes {@code dev.spindle.LoopLag}), each running loop is handed a probe through its inbox every interval,
 * and the time until the loop runs it is its lag. Without probes they stay at their last value (zero at first).
 */
public interface LoopMetrics {
    /** The loop's name, {@code spindle-loop-<n>}: the tag metrics use. */
    String name();

    /** Whether a thread runs the loop now. */
    boolean isRunning();

    /** Entries (coroutines to resume, callbacks) waiting in the ready queue now. */
    int readyDepth();

    /** Tasks spawned and not finished. */
    int tasksAlive();

    /** Tasks ever spawned on the loop (a counter). */
    long tasksSpawned();

    /** Steps run so far: coroutine resumptions and callbacks (a counter). */
    long steps();

    /** Steps per second over the last probe interval. */
    double stepsPerSecond();

    /**
     * The loop's lag: how long the last probe waited before the loop ran it, or, if a probe has been waiting longer
     * than that, how long it has waited so far (so a stuck loop's lag grows).
     */
    Duration lag();

    /** The largest lag measured since the last call of this method (each call starts a new window). */
    Duration takeMaxLag();
}
