package dev.spindle.loop.internal;

import dev.spindle.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Not API: the clock of a loop on virtual time, and the state of the rule by which that loop moves it (the public
 * face is {@code dev.spindle.test.TestLoop}). A loop made with this clock never waits for a timer in real time: when
 * it is idle it sets the clock to the next timer's deadline instead, so sleeps, timeouts and {@code callLater} end
 * at once in real time while the clock reads exactly what it would have read had they waited.
 *
 * <h2>When the clock jumps</h2>
 * Only in a pass that finds nothing ready (no coroutine, no callback, nothing in the inbox), and then in this order:
 * <ol>
 *   <li>If a {@code toThread}/{@code runInExecutor} job of the loop is queued or running, the loop waits for the
 *       inbox (or its I/O poller) in real time, however long the job takes: its result is never skipped.
 *   <li>If something else outside the loop may still wake a coroutine - a coroutine waits for socket readiness on
 *       the loop's poller, is blocked in a JDK call (a virtual thread parked by the JDK, not by Spindle), or awaits a
 *       {@code CompletableFuture} - the loop first waits in real time for up to the {@linkplain #thresholdNanos
 *       auto-jump threshold}: whatever arrives meanwhile runs at the current virtual time. A local peer's bytes
 *       take microseconds, so they are never skipped; a wait that nothing will end (a server waiting for clients)
 *       costs one threshold per jump instead of hanging the test (Trio's {@code autojump_threshold}).
 *   <li>Coroutines waiting for the loop to be idle ({@link #onIdle}) are made ready; the clock stays.
 *   <li>Otherwise, if the earliest live timer is due no later than the jump limit, the clock is set to its
 *       deadline and the pass runs every timer due then (ties in scheduling order). The limit is unbounded in
 *       auto-jump mode, and the furthest point {@link #allowUntil} granted in manual mode.
 *   <li>Otherwise, a thread driving the loop ({@link #drive}) gets it back, the clock set to its target; a loop
 *       with no driver waits in real time for another thread or its I/O (a deadlock, unless one comes).
 * </ol>
 * Since the ready queue, the timer heap and the inbox keep FIFO order, and jumps happen only when nothing is ready,
 * a test that touches nothing outside the loop runs the same interleaving every time.
 *
 * <p>Not covered: {@code Thread.sleep} and other JDK timed waits inside a coroutine use the JDK's timers, in real
 * time (while one runs, the coroutine counts as blocked in a JDK call); waits on other threads through Spindle's
 * own primitives ({@code ThreadsafeQueue}, futures of another loop, {@code callSoonThreadsafe}) are not seen as in
 * flight, so the clock may jump while they are on their way.
 *
 * <p>Threads: {@link #nanoTime} is thread-safe; the rest is confined to the loop's thread (or to the thread setting
 * the loop up before it runs).
 */
public final class VirtualTime implements Clock {
    /** Where a fresh virtual clock starts: far from zero, so that code subtracting a few seconds stays positive. */
    public static final long START = TimeUnit.DAYS.toNanos(1);

    private volatile long now = START;
    private final boolean autoJump;
    private final long thresholdNanos;

    // Loop-confined.
    private long manualLimit = START;
    private long driveTarget;
    private boolean driving;
    private boolean settleAtTarget;
    private final List<Runnable> idleWaiters = new ArrayList<>();
    /** Set when the loop found nothing to do and nothing to wait for: only another thread can help it now. */
    private volatile boolean stalled;

    /**
     * @param autoJump whether the loop moves the clock by itself when idle (otherwise only as far as
     *     {@link #allowUntil} or a driver lets it)
     * @param thresholdNanos how long, in real time, an idle loop waits for I/O and JDK-blocked coroutines before
     *     jumping (see the class comment); 0 jumps at once
     */
    public VirtualTime(boolean autoJump, long thresholdNanos) {
        if (thresholdNanos < 0) {
            throw new IllegalArgumentException("the auto-jump threshold must not be negative");
        }
        this.autoJump = autoJump;
        this.thresholdNanos = thresholdNanos;
    }

    @Override
    public long nanoTime() {
        return now;
    }

    public boolean autoJump() {
        return autoJump;
    }

    public long thresholdNanos() {
        return thresholdNanos;
    }

    /** Whether the loop last went idle with nothing to run, to jump to, or to wait for. */
    public boolean stalled() {
        return stalled;
    }

    /** Moves the clock forward to {@code t}; never back. */
    void jumpTo(long t) {
        if (t > now) {
            now = t;
        }
    }

    /** Manual mode: lets the loop jump its clock as far as {@code t} when idle. Loop thread only. */
    public void allowUntil(long t) {
        if (t > manualLimit) {
            manualLimit = t;
        }
    }

    /** Runs {@code callback} on the loop when it is next idle (step 3 of the class comment). Loop thread only. */
    public void onIdle(Runnable callback) {
        idleWaiters.add(callback);
    }

    /** The furthest deadline an idle loop may jump to now. */
    long jumpLimit() {
        if (driving) {
            return driveTarget;
        }
        return autoJump ? Long.MAX_VALUE : manualLimit;
    }

    boolean driving() {
        return driving;
    }

    boolean hasIdleWaiters() {
        return !idleWaiters.isEmpty();
    }

    /** Hands the idle waiters over, leaving none. */
    List<Runnable> takeIdleWaiters() {
        List<Runnable> all = new ArrayList<>(idleWaiters);
        idleWaiters.clear();
        return all;
    }

    void startDriving(long target, boolean settle) {
        driving = true;
        driveTarget = target;
        settleAtTarget = settle;
    }

    /** The driver's target was reached: sets the clock there if asked to. */
    void arrived() {
        if (settleAtTarget) {
            jumpTo(driveTarget);
        }
    }

    void stopDriving() {
        driving = false;
    }

    void setStalled(boolean s) {
        if (stalled != s) {
            stalled = s;
        }
    }

    @Override
    public String toString() {
        return "VirtualTime[" + (autoJump ? "auto-jump" : "manual") + ", now=" + now + "]";
    }
}
