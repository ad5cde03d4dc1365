package dev.spindle.observe;

import dev.spindle.observe.internal.Jfr;

/**
 * Whether JFR runs in this JVM: the guard in front of every JFR event of Spindle and its modules (see
 * {@link SpindleEvent}). Not itself an event class, so calling it loads nothing of JFR.
 *
 * {@snippet :
 * if (SpindleJfr.recording()) {
 *     QueryEvent e = new QueryEvent(); // only now is the event class loaded
 *     ...
 * }
 * }
 *
 * <h2>Spindle's own events</h2>
 * All in JFR's "Spindle" category; none records a JFR stack trace. Settings as for any event, in a {@code .jfc} file
 * or with {@code jfr configure} ({@code benchmarks/observe/spindle-only.jfc} turns all of them fully on):
 * <ul>
 *   <li>{@code dev.spindle.TaskSpawned}: loop, task id and name, parent task id. Off by default: one event per spawn.
 *   <li>{@code dev.spindle.TaskFinished}: a task's life (the event's duration, from spawn to end), its outcome
 *       ({@code result}, {@code failed}, {@code cancelled}) and exception. Threshold 20 ms by default: only tasks that
 *       lived longer; 0 records them all.
 *   <li>{@code dev.spindle.SlowStep}: a step that held its loop past {@code -Dspindle.jfr.slowStepThreshold} (100 ms by
 *       default): loop, task, how long, whether it pinned its carrier, its stack as text. Found by the sampling of
 *       {@link StallWatchdog}, which starts for JFR when JFR starts.
 *   <li>{@code dev.spindle.LoopLag}: each second (the event's period), per running loop, a probe's wait in the inbox
 *       (the event's duration) with the ready-queue depth, tasks alive and steps per second.
 * </ul>
 * The JDK's own {@code jdk.VirtualThreadPinned} works with Spindle's loops too (JDK 25 emits it for any scheduler): it
 * shows every coroutine that blocked while pinned, not only those past the stall threshold.
 */
public final class SpindleJfr {
    private SpindleJfr() {}

    /** Whether JFR has started in this JVM (it then stays true): one volatile read, no JFR class loaded. */
    public static boolean recording() {
        return Jfr.on;
    }
}
