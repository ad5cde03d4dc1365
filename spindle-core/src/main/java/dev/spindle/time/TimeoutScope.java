package dev.spindle.time;

import dev.spindle.loop.Handle;
import dev.spindle.loop.Loop;
import dev.spindle.task.Coroutine;
import dev.spindle.task.Task;
import dev.spindle.task.internal.Interruption;
import dev.spindle.task.internal.Sneaky;
import java.time.Duration;
import java.util.Objects;

/**
 * Bounds the time a block of coroutine code may take (asyncio's {@code asyncio.timeout}). When the deadline passes,
 * the current task is cancelled; the {@link dev.spindle.task.Cancelled} unwinds the block, and on the way out the
 * scope turns it into {@link TimedOut}. A cancellation that came from elsewhere passes through unchanged.
 *
 * {@snippet :
 * TimeoutScope scope = TimeoutScope.after(Duration.ofSeconds(2));
 * String page = scope.run(() -> {
 *     String first = fetch("a");
 *     scope.reschedule(scope.deadline() + Duration.ofSeconds(1).toNanos()); // allow a little more
 *     return first + fetch("b");
 * });
 * }
 *
 * <p>A lambda, not try-with-resources: only a method that runs the body can replace the body's exception.
 *
 * <h2>States</h2>
 * <pre>
 *   CREATED ──run──▶ ENTERED ──deadline──▶ EXPIRING ──body ends──▶ EXPIRED (TimedOut if it ended cancelled)
 *                       └──────────body ends─────────────────────▶ EXITED
 * </pre>
 *
 * <h2>Pitfalls</h2>
 * The deadline takes effect at a suspension point. Code that computes without ever blocking or awaiting is not
 * interrupted; a body that catches the cancellation and carries on returns normally, and the scope reports
 * {@link #expired()}. Scopes nest: an inner scope's expiry is reported only by the inner scope.
 */
public final class TimeoutScope {
    /** A deadline that never comes. */
    public static final long NEVER = Long.MAX_VALUE;

    private enum State {
        CREATED,
        ENTERED,
        EXPIRING,
        EXPIRED,
        EXITED
    }

    private final long delayNanos; // used when the deadline is relative; NEVER if absolute
    private long deadline;
    private State state = State.CREATED;
    private Task<?> task;
    private Loop loop;
    private int cancellingAtEntry;
    /**
     * The loop timer, due at {@link #timerAt}: never later than the deadline, possibly earlier. Moving the deadline
     * later (or removing it) leaves it armed, and when it fires early it arms itself again for the deadline then in
     * force: a scope moved forward at every request of a connection costs a timer per period, not one per move.
     */
    private Handle timer;

    private long timerAt = NEVER;

    private TimeoutScope(long delayNanos, long deadline) {
        this.delayNanos = delayNanos;
        this.deadline = deadline;
    }

    /** A scope whose deadline is {@code delay} after it is entered. */
    public static TimeoutScope after(Duration delay) {
        Objects.requireNonNull(delay, "delay");
        long nanos;
        try {
            nanos = delay.toNanos();
        } catch (ArithmeticException e) {
            nanos = delay.isNegative() ? 0 : NEVER;
        }
        return new TimeoutScope(Math.max(0, nanos), NEVER);
    }

    /** A scope whose deadline is {@code deadlineNanos} on the loop's clock ({@link Loop#nanoTime()}). */
    public static TimeoutScope at(long deadlineNanos) {
        return new TimeoutScope(NEVER, deadlineNanos);
    }

    /** A scope with no deadline, to be set later with {@link #reschedule}. */
    public static TimeoutScope never() {
        return new TimeoutScope(NEVER, NEVER);
    }

    /**
     * Runs {@code body} in the current task under this scope's deadline and returns its result.
     *
     * @throws TimedOut if the deadline passed and the body ended cancelled
     * @throws IllegalStateException outside a task, or if the scope was used before
     */
    public <T> T run(Coroutine<T> body) {
        Objects.requireNonNull(body, "body");
        if (state != State.CREATED) {
            throw new IllegalStateException("a TimeoutScope runs once; this one is " + state);
        }
        task = Task.current();
        loop = task.loop();
        state = State.ENTERED;
        cancellingAtEntry = task.cancelling();
        if (delayNanos != NEVER) {
            long now = loop.nanoTime();
            // saturating: the clock's readings may be negative (only differences mean anything), so the guard must
            // not compute NEVER - now, which overflows for them
            deadline = now > NEVER - delayNanos ? NEVER : now + delayNanos;
        }
        reschedule(deadline);
        T result;
        try {
            result = body.call();
        } catch (Throwable e) {
            throw exit(e);
        }
        exit(null);
        return result;
    }

    private RuntimeException exit(Throwable e) {
        if (timer != null) {
            timer.cancel();
            timer = null;
            timerAt = NEVER;
        }
        if (state == State.EXPIRING) {
            state = State.EXPIRED;
            if (task.uncancel() <= cancellingAtEntry && e != null && Interruption.isCancellation(e, true)) {
                return new TimedOut("the deadline passed after " + describeDeadline(), e);
            }
        } else if (state == State.ENTERED) {
            state = State.EXITED;
        }
        return e == null ? null : Sneaky.rethrow(e);
    }

    private String describeDeadline() {
        return delayNanos != NEVER ? Duration.ofNanos(delayNanos).toString() : "deadline " + deadline;
    }

    /** The deadline on the loop's clock, or {@link #NEVER}. */
    public long deadline() {
        return deadline;
    }

    /**
     * Moves the deadline (to {@link #NEVER} to remove it). A deadline already past cancels the task at once.
     *
     * @throws IllegalStateException unless the scope is running and has not expired
     */
    public void reschedule(long deadlineNanos) {
        if (state != State.ENTERED) {
            throw new IllegalStateException(
                    state == State.CREATED ? "the TimeoutScope has not started" : "the TimeoutScope is " + state);
        }
        deadline = deadlineNanos;
        if (deadlineNanos == NEVER || (timer != null && timerAt <= deadlineNanos)) {
            return; // the armed timer (if any) fires no later than needed, and finds what is due then
        }
        arm(deadlineNanos);
    }

    private void arm(long at) {
        if (timer != null) {
            timer.cancel();
        }
        timerAt = at;
        timer = at <= loop.nanoTime() ? loop.callSoon(this::onTimer) : loop.callAt(at, this::onTimer);
    }

    /** Whether the deadline passed while the body ran. */
    public boolean expired() {
        return state == State.EXPIRING || state == State.EXPIRED;
    }

    private void onTimer() {
        timer = null;
        timerAt = NEVER;
        if (state != State.ENTERED || deadline == NEVER) {
            return;
        }
        if (deadline > loop.nanoTime()) {
            arm(deadline); // moved later since this timer was set
            return;
        }
        state = State.EXPIRING;
        task.cancel("timed out");
    }

    @Override
    public String toString() {
        return "TimeoutScope[" + state + ", deadline=" + (deadline == NEVER ? "never" : deadline) + "]";
    }
}
