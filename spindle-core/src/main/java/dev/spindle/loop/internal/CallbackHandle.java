package dev.spindle.loop.internal;

import dev.spindle.loop.TimerHandle;
import dev.spindle.task.Context;

/**
 * A callback in the ready queue or the timer heap. Confined to its loop's thread once scheduled.
 *
 * <p>{@code when} and {@code seq} order timers: earliest deadline first, then scheduling order, so two timers
 * due at the same instant run in the order they were scheduled.
 */
public final class CallbackHandle implements TimerHandle, Runnable {
    private final Runnable callback;
    /** The context variables in force where the callback was scheduled; it runs in them. */
    final Context context;

    final long when;
    final long seq;
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

    @Override
    public void run() {
        if (!cancelled) {
            fired = true;
            callback.run();
        }
    }

    @Override
    public void cancel() {
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
        return "Handle[" + callback + (cancelled ? ", cancelled" : "")
                + (when != EventLoop.NOT_TIMED ? ", when=" + when : "") + "]";
    }
}
