package dev.spindle.sync;

/**
 * A {@link LoopSemaphore} that refuses to be released more often than it was acquired (asyncio's
 * {@code BoundedSemaphore}): its free count never exceeds the initial one. Catches a double release, which a plain
 * semaphore would silently turn into an extra permit.
 *
 * {@snippet :
 * LoopBoundedSemaphore slots = new LoopBoundedSemaphore(2);
 * try (var _ = slots.acquire()) {
 *     work();
 * }
 * slots.release(); // IllegalStateException: released more often than acquired
 * }
 */
public final class LoopBoundedSemaphore extends LoopSemaphore {
    private final int bound;

    /**
     * A semaphore with {@code permits} free permits, which is also the most it may ever have.
     *
     * @throws IllegalArgumentException if {@code permits} is negative
     */
    public LoopBoundedSemaphore(int permits) {
        super(permits, "LoopBoundedSemaphore");
        this.bound = permits;
    }

    /**
     * Gives a permit back, as {@link LoopSemaphore#release()}.
     *
     * @throws IllegalStateException if every permit is already free (asyncio's {@code ValueError}), or off the
     *     semaphore's loop
     */
    @Override
    public void release() {
        binding().check();
        // A permit handed to a waiter that has not run yet counts as not held, as in asyncio: releasing it again
        // before the waiter runs is a double release.
        if (unheld() >= bound) {
            throw new IllegalStateException(
                    "LoopBoundedSemaphore released more often than acquired (bound " + bound + ")");
        }
        handOver();
    }

    /** The initial, and largest, number of free permits. */
    public int bound() {
        return bound;
    }
}
