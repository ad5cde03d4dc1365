package dev.spindle.sync;

import dev.spindle.sync.internal.LoopBinding;
import dev.spindle.sync.internal.WaitQueue;
import dev.spindle.task.Cancelled;
import dev.spindle.task.Task;
import dev.spindle.task.internal.Suspension;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * A condition variable over a {@link LoopLock} (asyncio's {@code Condition}): coroutines holding the lock wait
 * until another one, also holding it, signals them. The shared rules (loop confinement, FIFO, cancellation) are
 * in the {@linkplain dev.spindle.sync package summary}.
 *
 * <p>The names follow {@link java.util.concurrent.locks.Condition} ({@code await}, {@code signal},
 * {@code signalAll}) rather than asyncio's ({@code wait}, {@code notify}, {@code notify_all}): {@link Object}'s
 * {@code wait}, {@code notify} and {@code notifyAll} are final, and a {@code notify(int)} beside them would let a
 * forgotten argument call {@code Object.notify()} instead.
 *
 * {@snippet :
 * LoopCondition nonEmpty = new LoopCondition();
 * // consumer
 * try (var _ = nonEmpty.acquire()) {
 *     nonEmpty.awaitUntil(() -> !items.isEmpty());
 *     process(items.removeFirst());
 * }
 * // producer
 * try (var _ = nonEmpty.acquire()) {
 *     items.add(item);
 *     nonEmpty.signal();
 * }
 * }
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li>The lock is its own (made by {@link #LoopCondition()}) or shared with other conditions or code
 *       ({@link #LoopCondition(LoopLock)}); {@link #acquire()}, {@link #tryAcquire()}, {@link #release()} and
 *       {@link #locked()} are the lock's.
 *   <li>{@link #await()}, {@link #awaitUntil}, {@link #signal(int)} and {@link #signalAll()} require the lock to
 *       be held and throw {@link IllegalStateException} otherwise. Since a {@link LoopLock} has no owner, they can
 *       only check that it is locked, not that the caller holds it (asyncio checks the same).
 *   <li>Signalled coroutines leave the condition in FIFO order and then queue for the lock behind the coroutines
 *       already waiting for it; {@code signal} does not release the lock, its caller does.
 *   <li><b>Cancellation.</b> {@link #await()} always returns or throws holding the lock again: a waiter cancelled
 *       while it waits first re-acquires the lock, in its turn and deaf to further cancels, then throws
 *       {@link Cancelled}. A waiter that was signalled but throws {@code Cancelled} instead of returning passes
 *       the signal on to the next waiter, so a {@code signal(n)} never wakes fewer than it could.
 * </ul>
 *
 * <h2>Pitfalls</h2>
 * A signalled waiter is not told that anything holds: another coroutine may take the lock first and change the
 * state. Wait in a loop, or use {@link #awaitUntil}.
 */
public final class LoopCondition {
    private final LoopBinding binding = new LoopBinding("LoopCondition");
    private final WaitQueue waiters = new WaitQueue();
    private final LoopLock lock;

    /** A condition with a lock of its own. */
    public LoopCondition() {
        this(new LoopLock());
    }

    /** A condition over {@code lock}, which other code or other conditions may share. */
    public LoopCondition(LoopLock lock) {
        this.lock = Objects.requireNonNull(lock, "lock");
    }

    /** Acquires the underlying lock; see {@link LoopLock#acquire()}. */
    public Held acquire() {
        return lock.acquire();
    }

    /** Acquires the underlying lock if that needs no waiting; see {@link LoopLock#tryAcquire()}. */
    public boolean tryAcquire() {
        return lock.tryAcquire();
    }

    /** Releases the underlying lock; see {@link LoopLock#release()}. */
    public void release() {
        lock.release();
    }

    /** Whether the underlying lock is held; see {@link LoopLock#locked()}. */
    public boolean locked() {
        return lock.locked();
    }

    /**
     * Releases the lock, waits until signalled, re-acquires the lock and returns (asyncio's {@code wait}). Returns
     * holding the lock, and so does every exception it throws.
     *
     * @throws Cancelled if the task is cancelled while it waits or while it re-acquires the lock; thrown only once
     *     the lock is held again
     * @throws IllegalStateException if the lock is not held, outside a coroutine, or from another loop than the
     *     condition's
     */
    public void await() {
        binding.check();
        Task<?> self = Suspension.currentTask("LoopCondition.await");
        requireLocked("await");
        lock.release();
        Cancelled cancelled = null;
        try {
            // Cancelled after a signal but before running: pass the signal on at once.
            waiters.park(self, signal -> waiters.wakeFirst(Boolean.TRUE));
        } catch (Cancelled c) {
            cancelled = c;
        }
        // Back under the lock whatever happens: the caller's finally blocks rely on holding it.
        lock.acquireUncancellable(self);
        if (cancelled == null && Suspension.cancelPending(self)) {
            // Signalled, then cancelled while re-acquiring: asyncio raises too, and hands the signal on.
            cancelled = Suspension.takeCancel(self);
            waiters.wakeFirst(Boolean.TRUE);
        }
        if (cancelled != null) {
            throw cancelled;
        }
    }

    /**
     * Waits until {@code predicate} holds (asyncio's {@code wait_for}): checks it, and {@link #await()}s again each
     * time it is false after a signal. The predicate runs holding the lock. Returns at once if it holds
     * already.
     *
     * @throws Cancelled as {@link #await()}; the lock is held when it is thrown
     * @throws IllegalStateException if the lock is not held, outside a coroutine, or from another loop
     */
    public void awaitUntil(BooleanSupplier predicate) {
        Objects.requireNonNull(predicate, "predicate");
        binding.check();
        requireLocked("awaitUntil");
        while (!predicate.getAsBoolean()) {
            await();
        }
    }

    /**
     * Wakes the longest waiter, if any: {@code signal(1)}.
     *
     * @throws IllegalStateException if the lock is not held, or off the condition's loop
     */
    public void signal() {
        signal(1);
    }

    /**
     * Wakes up to {@code n} waiters, longest first (asyncio's {@code notify(n)}); does nothing for {@code n <= 0} or
     * when nobody waits. They return from {@link #await()} only after re-acquiring the lock, which the caller still
     * holds. May be called from a callback that holds the lock.
     *
     * @throws IllegalStateException if the lock is not held, or off the condition's loop
     */
    public void signal(int n) {
        binding.check();
        requireLocked("signal");
        for (int i = 0; i < n && waiters.wakeFirst(Boolean.TRUE); i++) {
            // each pass woke one
        }
    }

    /**
     * Wakes every waiter (asyncio's {@code notify_all}); see {@link #signal(int)}.
     *
     * @throws IllegalStateException if the lock is not held, or off the condition's loop
     */
    public void signalAll() {
        binding.check();
        requireLocked("signalAll");
        waiters.wakeAll(Boolean.TRUE);
    }

    /**
     * How many coroutines wait to be signalled (not counting those re-acquiring the lock). A read from another
     * thread may be stale.
     */
    public int waiters() {
        return waiters.size();
    }

    private void requireLocked(String what) {
        if (!lock.locked()) {
            throw new IllegalStateException("LoopCondition." + what + " requires holding the condition's lock");
        }
    }

    @Override
    public String toString() {
        return "LoopCondition[" + (lock.locked() ? "locked" : "unlocked")
                + (waiters.isEmpty() ? "" : ", waiters=" + waiters()) + "]";
    }
}
