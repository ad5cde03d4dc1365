package dev.spindle.sync;

import dev.spindle.sync.internal.LoopBinding;
import dev.spindle.sync.internal.WaitQueue;
import dev.spindle.task.Cancelled;
import dev.spindle.task.Task;
import dev.spindle.task.internal.Suspension;

/**
 * A counter of permits for the coroutines of one loop (asyncio's {@code Semaphore}; named so as not to clash with
 * {@link java.util.concurrent.Semaphore}): {@link #acquire()} takes a permit, waiting while there is none;
 * {@link #release()} gives one back. The shared rules (loop confinement, FIFO, cancellation) are in the
 * {@linkplain dev.spindle.sync package summary}.
 *
 * {@snippet :
 * LoopSemaphore connections = new LoopSemaphore(10);
 * // in each of many coroutines: at most 10 at a time past this point
 * try (var _ = connections.acquire()) {
 *     return fetch(url);
 * }
 * }
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li><b>FIFO by direct handoff.</b> {@link #release()} with coroutines waiting hands the permit straight to the
 *       one that has waited longest; the count stays at zero in between, so a newcomer cannot take it first.
 *       {@link #acquire()} takes a free permit without waiting only when nobody waits.
 *   <li><b>Not owned.</b> Any coroutine or callback of the loop may release, also one that never acquired. This
 *       class does not stop a release beyond the initial count (the count just grows, as in asyncio); use
 *       {@link LoopBoundedSemaphore} to have that caught.
 *   <li><b>Cancellation.</b> A waiter cancelled while it waits leaves the line; one cancelled after a permit was
 *       handed to it but before it ran passes the permit on. Either way it throws {@link Cancelled} holding no
 *       permit.
 * </ul>
 */
public sealed class LoopSemaphore permits LoopBoundedSemaphore {
    private final LoopBinding binding;
    private final WaitQueue waiters = new WaitQueue();
    private final Held held = new Held(this::release);
    /** Free permits. Invariant: when positive, nobody waits (release hands a permit over instead of counting it). */
    private int permits;
    /** Permits handed to waiters that have not run yet: neither free nor releasable (see the bounded check). */
    private int inTransit;

    /**
     * A semaphore with {@code permits} free permits, not yet bound to a loop (it binds to the loop of its first
     * use).
     *
     * @throws IllegalArgumentException if {@code permits} is negative
     */
    public LoopSemaphore(int permits) {
        this(permits, "LoopSemaphore");
    }

    LoopSemaphore(int permits, String kind) {
        if (permits < 0) {
            throw new IllegalArgumentException(kind + " permits must be >= 0, not " + permits);
        }
        this.permits = permits;
        this.binding = new LoopBinding(kind);
    }

    /**
     * Takes a permit, waiting while none is free or others wait, and returns a handle whose {@link Held#close()}
     * gives it back. Returns at once, without suspending, when it need not wait (so it is no cancellation point
     * then, as in asyncio).
     *
     * @throws Cancelled if the task is cancelled while it waits; it then holds no permit
     * @throws IllegalStateException outside a coroutine, or from another loop than the semaphore's
     */
    public final Held acquire() {
        binding.check();
        Task<?> self = Suspension.currentTask(getClass().getSimpleName() + ".acquire");
        if (permits > 0) {
            permits--;
            return held;
        }
        waiters.park(self, handedPermit -> {
            inTransit--;
            handOver();
        });
        inTransit--; // a release handed its permit straight to us
        return held;
    }

    /**
     * Takes a permit if that needs no waiting: one is free and nobody waits. May be called from a callback.
     *
     * @return whether a permit was taken
     * @throws IllegalStateException off the semaphore's loop
     */
    public final boolean tryAcquire() {
        binding.check();
        if (permits > 0) {
            permits--;
            return true;
        }
        return false;
    }

    /**
     * Gives a permit back: hands it to the longest waiter, or adds it to the free count. May be called from a
     * callback.
     *
     * @throws IllegalStateException off the semaphore's loop ({@link LoopBoundedSemaphore}: also when released
     *     more often than acquired)
     */
    public void release() {
        binding.check();
        handOver();
    }

    /** Passes one permit to the longest waiter, or frees it. */
    final void handOver() {
        if (waiters.wakeFirst(Boolean.TRUE)) {
            inTransit++;
        } else {
            permits++;
        }
    }

    /** Permits free or on their way to a waiter: those a release cannot account for. */
    final int unheld() {
        return permits + inTransit;
    }

    /**
     * Whether {@link #acquire()} would wait: no permit is free, or others wait (asyncio's {@code locked()}). A read
     * from another thread may be stale.
     */
    public final boolean locked() {
        return permits == 0;
    }

    /** How many permits are free. A read from another thread may be stale. */
    public final int availablePermits() {
        return permits;
    }

    /** How many coroutines wait for a permit. A read from another thread may be stale. */
    public final int waiters() {
        return waiters.size();
    }

    final LoopBinding binding() {
        return binding;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[permits=" + permits + (waiters.isEmpty() ? "" : ", waiters=" + waiters())
                + "]";
    }
}
