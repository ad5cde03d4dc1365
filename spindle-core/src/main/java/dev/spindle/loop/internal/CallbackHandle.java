package dev.spindle.loop.internal;

import dev.spindle.loop.TimerHandle;
import dev.spindle.task.Context;

/**
 * A callback in the ready queue or the timer heap. Confined to its loop's thread once scheduled.
 *
 * <p>{@code when} and {@code seq} order timers: earliest deadline first, then scheduling order, so two timers
 * due at the same instant run in the order they were scheduled.
 */
public class CallbackHandle implements TimerHandle, Runnable {
    private final Runnable callback;
    /** The context variables in force where the callback was scheduled; it runs in them. */
    final Context context;

    final long when;
    long seq;
    private boolean cancelled;
    private boolean fired;
    private final EventLoop loop;

    CallbackHandle(EventLoop loop, Runnable callback, Context context, long when, long seq) {
        this.loop = loop;
        this.callback = callback;
        this.context = context;
        this.when = when;
        this.seq = seq;
    }

    /**
     * A timer whose action is {@link #fire()}, for Spindle's own waits: one object instead of a handle and a
     * lambda. Schedule it with {@link EventLoop#schedule}.
     */
    protected CallbackHandle(EventLoop loop, long when) {
        this(loop, null, null, when == EventLoop.NOT_TIMED ? when + 1 : when, 0);
    }

    @Override
    public final void run() {
        if (!cancelled) {
            fired = true;
            fire();
        }
    }

    /** What the handle does when it runs; the callback unless a subclass says otherwise. */
    protected void fire() {
        callback.run();
    }

    @Override
    public final void cancel() {
        if (!cancelled && !fired) {
            cancelled = true;
            if (when != EventLoop.NOT_TIMED) {
                loop.timerCancelled();
            }
        }
    }

    @Override
    public boolean isCancelled() {
        return cancelled;
    }

    /** Whether the callback has started running. */
    public boolean fired() {
        return fired;
    }

    @Override
    public long when() {
        return when;
    }

    Runnable callback() {
        return callback;
    }

    @Override
    public String toString() {
        return "Handle[" + (callback != null ? callback : getClass().getSimpleName()) + (cancelled ? ", cancelled" : "")
                + (when != EventLoop.NOT_TIMED ? ", when=" + when : "") + "]";
    }
}
