package dev.spindle.sync;

import dev.spindle.sync.internal.LoopBinding;
import dev.spindle.sync.internal.WaitQueue;
import dev.spindle.task.Cancelled;
import dev.spindle.task.Task;
import dev.spindle.task.internal.Suspension;

/**
 * A mutual-exclusion lock for the coroutines of one loop (asyncio's {@code Lock}; named so as not to clash with
 * {@link java.util.concurrent.locks.Lock}). The shared rules (loop confinement, FIFO, cancellation) are in the
 * {@linkplain dev.spindle.sync package summary}.
 *
 * {@snippet :
 * LoopLock lock = new LoopLock();
 * // in each of many coroutines:
 * try (var _ = lock.acquire()) {
 *     int v = counter;
 *     sleep(Duration.ZERO); // other coroutines run here, but none enters this block
 *     counter = v + 1;
 * }
 * }
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li><b>Not reentrant.</b> A coroutine that acquires a lock it already holds waits for itself forever.
 *   <li><b>Not owned.</b> As in asyncio, the lock records no owner: any coroutine or callback of its loop may
 *       release it, not only the one that acquired it (useful to hand a critical section over to a callback). The
 *       price is that nothing catches a release by the wrong party; keep acquire and release together with
 *       try-with-resources.
 *   <li><b>FIFO by direct handoff.</b> {@link #release()} with coroutines waiting passes the lock straight to the
 *       one that has waited longest; the lock never looks free in between, so a newcomer cannot barge in.
 *   <li><b>Cancellation.</b> A waiter cancelled while it waits leaves the line; one cancelled after the lock was
 *       handed to it but before it ran passes the lock on to the next waiter (or unlocks it). Either way it throws
 *       {@link Cancelled} without holding the lock.
 * </ul>
 */
public final class LoopLock {
    private final LoopBinding binding = new LoopBinding("LoopLock");
    private final WaitQueue waiters = new WaitQueue();
    private final Held held = new Held(this::release);
    /** Invariant: when {@code false}, nobody waits (release hands a locked lock over instead of unlocking it). */
    private boolean locked;
    /**
     * The lock was handed to a waiter that has not run yet. Nobody may release it meanwhile: the releaser gave it
     * up and the receiver does not know it holds it yet (asyncio rejects that release too).
     */
    private boolean inTransit;

    /** An unlocked lock, not yet bound to a loop (it binds to the loop of its first use). */
    public LoopLock() {}

    /**
     * Acquires the lock, waiting if it is locked, and returns a handle whose {@link Held#close()} releases it.
     * Returns at once, without suspending, when the lock is free (so it is no cancellation point then, as in
     * asyncio).
     *
     * @throws Cancelled if the task is cancelled while it waits; it then does not hold the lock
     * @throws IllegalStateException outside a coroutine, or from another loop than the lock's
     */
    public Held acquire() {
        binding.check();
        Task<?> self = Suspension.currentTask("LoopLock.acquire");
        if (!locked) {
            locked = true;
            return held;
        }
        waiters.park(self, handedLock -> passOn());
        inTransit = false; // release() handed the lock over: it is still locked, now for us
        return held;
    }

    /**
     * Acquires the lock if that needs no waiting: it is free and nobody waits for it (Trio's
     * {@code acquire_nowait}, without the exception). May be called from a callback.
     *
     * @return whether the lock was acquired
     * @throws IllegalStateException off the lock's loop
     */
    public boolean tryAcquire() {
        binding.check();
        if (locked) {
            return false;
        }
        locked = true;
        return true;
    }

    /**
     * Releases the lock: hands it to the longest waiter, or unlocks it if nobody waits. Any coroutine or callback
     * of the loop may call it (see the class comment).
     *
     * @throws IllegalStateException if the lock is not locked, or was released already and is on its way to a waiter
     *     that has not run yet, or off the lock's loop
     */
    public void release() {
        binding.check();
        if (!locked) {
            throw new IllegalStateException("LoopLock is not locked");
        }
        if (inTransit) {
            throw new IllegalStateException(
                    "LoopLock is not locked: it was released already and is being handed to the next waiter");
        }
        passOn();
    }

    /** Hands the lock to the longest waiter, or unlocks it. Also called by a receiver cancelled before it ran. */
    private void passOn() {
        inTransit = waiters.wakeFirst(Boolean.TRUE);
        if (!inTransit) {
            locked = false;
        }
    }

    /**
     * Whether the lock is held (by anyone, or handed to a waiter that has not run yet). A read from another thread
     * may be stale.
     */
    public boolean locked() {
        return locked;
    }

    /** How many coroutines wait to acquire the lock. A read from another thread may be stale. */
    public int waiters() {
        return waiters.size();
    }

    /**
     * Acquires the lock for {@link LoopCondition}'s re-acquisition after a wait: deaf to cancellation, which stays
     * pending for the caller, so the caller always leaves holding the lock.
     */
    void acquireUncancellable(Task<?> self) {
        binding.check();
        if (!locked) {
            locked = true;
            return;
        }
        waiters.parkUncancellable(self);
        inTransit = false;
    }

    @Override
    public String toString() {
        return "LoopLock[" + (locked ? "locked" : "unlocked") + (waiters.isEmpty() ? "" : ", waiters=" + waiters())
                + "]";
    }
}
