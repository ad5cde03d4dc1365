package dev.spindle.sync;

import dev.spindle.sync.internal.LoopBinding;
import dev.spindle.sync.internal.WaitQueue;
import dev.spindle.task.Cancelled;
import dev.spindle.task.Task;
import dev.spindle.task.internal.Suspension;

/**
 * A meeting point for a fixed number of coroutines (asyncio's {@code Barrier}): each calls {@link #await()}, and
 * all of them go on together once the last of {@link #parties()} has arrived. The barrier then serves the next
 * round. The shared rules (loop confinement, FIFO, cancellation) are in the {@linkplain dev.spindle.sync package
 * summary}.
 *
 * {@snippet :
 * LoopBarrier allLoaded = new LoopBarrier(3);
 * for (String shard : List.of("a", "b", "c")) {
 *     spawn(() -> {
 *         load(shard);
 *         if (allLoaded.await() == 0) { // exactly one of the three gets index 0
 *             System.out.println("all shards loaded");
 *         }
 *         serve(shard);
 *     });
 * }
 * }
 *
 * <h2>States</h2>
 * <pre>
 *   FILLING ──last party arrives──▶ (draining) ──▶ FILLING, next round
 *      │    ──reset()─────────────▶ (resetting) ─▶ FILLING, waiters get BrokenBarrier
 *      └────abort()───────────────▶ BROKEN ──reset()──▶ FILLING
 * </pre>
 * asyncio's DRAINING and RESETTING, during which newcomers wait for the old round to leave, take no time here:
 * the waiters of a round are handed their index (or their {@link BrokenBarrier}) and leave the barrier at the
 * moment it trips or is reset, so a newcomer joins the next round at once. In BROKEN every {@link #await()}
 * throws {@link BrokenBarrier} until {@link #reset()}.
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li>{@link #await()} returns the caller's arrival index in its round, {@code 0} to {@code parties() - 1},
 *       each once per round: waiters in the order they arrived, the party that trips the barrier
 *       {@code parties() - 1}. The tripping party returns without suspending.
 *   <li><b>Cancellation</b> follows asyncio, not {@link java.util.concurrent.CyclicBarrier}: a waiter cancelled
 *       while the barrier fills leaves it, which then waits for one more arrival, and is <em>not</em> broken. The
 *       arrival indices stay unique and without gaps (they are given out when the barrier trips, among the
 *       parties still there). A waiter cancelled after the barrier tripped but before it ran throws
 *       {@link Cancelled}; the others of its round go on regardless.
 *   <li>{@link #abort()} and {@link #reset()} do not wait and may be called from a callback.
 * </ul>
 */
public final class LoopBarrier {
    /** Wake-up values for waiters turned away; a trip hands an {@link Integer} index instead. */
    private static final Object ABORTED = new Object();

    private static final Object RESET = new Object();

    private final LoopBinding binding = new LoopBinding("LoopBarrier");
    private final WaitQueue waiters = new WaitQueue();
    private final int parties;
    private boolean broken;

    /**
     * A barrier for {@code parties} coroutines, not yet bound to a loop (it binds to the loop of its first use).
     *
     * @throws IllegalArgumentException if {@code parties < 1}
     */
    public LoopBarrier(int parties) {
        if (parties < 1) {
            throw new IllegalArgumentException("LoopBarrier parties must be >= 1, not " + parties);
        }
        this.parties = parties;
    }

    /**
     * Waits until {@link #parties()} coroutines have called this, and returns the caller's arrival index in this
     * round.
     *
     * @throws BrokenBarrier if the barrier is broken, or is aborted or reset while the caller waits
     * @throws Cancelled if the task is cancelled while it waits; the barrier then waits for one more party
     * @throws IllegalStateException outside a coroutine, or from another loop than the barrier's
     */
    public int await() {
        binding.check();
        Task<?> self = Suspension.currentTask("LoopBarrier.await");
        if (broken) {
            throw new BrokenBarrier("the LoopBarrier is broken (aborted)");
        }
        if (waiters.size() + 1 == parties) {
            for (int index = 0; waiters.wakeFirst(index); index++) {
                // hands each waiter its index, in arrival order
            }
            return parties - 1;
        }
        Object outcome = waiters.park(self, null); // an index or a refusal: nothing to give back if cancelled
        if (outcome instanceof Integer index) {
            return index;
        }
        throw new BrokenBarrier(
                outcome == ABORTED ? "the LoopBarrier was aborted" : "the LoopBarrier was reset while waiting");
    }

    /**
     * Breaks the barrier: every waiter, and every later {@link #await()} until {@link #reset()}, throws
     * {@link BrokenBarrier}. Useful when one party fails and the others must not wait for it forever.
     *
     * @throws IllegalStateException off the barrier's loop
     */
    public void abort() {
        binding.check();
        broken = true;
        waiters.wakeAll(ABORTED);
    }

    /**
     * Returns the barrier to an empty FILLING state: the current waiters throw {@link BrokenBarrier}, and a broken
     * barrier is usable again.
     *
     * @throws IllegalStateException off the barrier's loop
     */
    public void reset() {
        binding.check();
        broken = false;
        waiters.wakeAll(RESET);
    }

    /** How many coroutines the barrier waits for in each round. */
    public int parties() {
        return parties;
    }

    /** How many coroutines wait in the current round. A read from another thread may be stale. */
    public int waiting() {
        return waiters.size();
    }

    /** Whether the barrier is broken (aborted and not reset since). A read from another thread may be stale. */
    public boolean isBroken() {
        return broken;
    }

    @Override
    public String toString() {
        return "LoopBarrier[" + (broken ? "broken" : "filling, waiting=" + waiting() + "/" + parties) + "]";
    }
}
