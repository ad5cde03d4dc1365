package dev.spindle.sync;

import dev.spindle.sync.internal.LoopBinding;
import dev.spindle.sync.internal.WaitQueue;
import dev.spindle.task.Cancelled;
import dev.spindle.task.Task;
import dev.spindle.task.internal.Suspension;

/**
 * A flag coroutines can wait for (asyncio's {@code Event}): {@link #set()} wakes every waiter and lets later
 * {@link #await()} calls through at once, until {@link #clear()}. The shared rules (loop confinement, FIFO,
 * cancellation) are in the {@linkplain dev.spindle.sync package summary}.
 *
 * {@snippet :
 * LoopEvent ready = new LoopEvent();
 * spawn(() -> {
 *     ready.await(); // parks until set
 *     System.out.println("go");
 * });
 * loop.callLater(Duration.ofMillis(5), ready::set); // set may be called from a callback
 * }
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li>{@link #set()} wakes all current waiters in the order they began to wait. Each of them returns from
 *       {@code await} even if the event is cleared again before it runs: it was woken by the {@code set}.
 *   <li>{@link #await()} on a set event returns at once, without suspending (so it is no cancellation point then).
 *   <li>A waiter cancelled before it runs again throws {@link Cancelled}; the event itself is unchanged.
 * </ul>
 */
public final class LoopEvent {
    private final LoopBinding binding = new LoopBinding("LoopEvent");
    private final WaitQueue waiters = new WaitQueue();
    private boolean set;

    /** A clear event, not yet bound to a loop (it binds to the loop of its first use). */
    public LoopEvent() {}

    /**
     * Waits until the event is set; returns at once if it is.
     *
     * @throws Cancelled if the task is cancelled while it waits
     * @throws IllegalStateException outside a coroutine, or from another loop than the event's
     */
    public void await() {
        binding.check();
        Task<?> self = Suspension.currentTask("LoopEvent.await");
        if (set) {
            return;
        }
        waiters.park(self, null); // the wake-up is only a signal: nothing to hand back when cancelled
    }

    /**
     * Sets the event and wakes every waiter. Setting a set event does nothing. May be called from a callback.
     *
     * @throws IllegalStateException off the event's loop
     */
    public void set() {
        binding.check();
        if (!set) {
            set = true;
            waiters.wakeAll(Boolean.TRUE);
        }
    }

    /**
     * Clears the event: later {@link #await()} calls wait again. Waiters already woken by {@link #set()} still
     * return.
     *
     * @throws IllegalStateException off the event's loop
     */
    public void clear() {
        binding.check();
        set = false;
    }

    /** Whether the event is set. A read from another thread may be stale. */
    public boolean isSet() {
        return set;
    }

    /** How many coroutines wait for the event. A read from another thread may be stale. */
    public int waiters() {
        return waiters.size();
    }

    @Override
    public String toString() {
        return "LoopEvent[" + (set ? "set" : "clear") + (waiters.isEmpty() ? "" : ", waiters=" + waiters()) + "]";
    }
}
