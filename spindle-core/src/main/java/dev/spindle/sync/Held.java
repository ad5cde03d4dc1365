package dev.spindle.sync;

/**
 * Proof of a successful {@code acquire()} of a {@link LoopLock}, {@link LoopSemaphore} or {@link LoopCondition}:
 * closing it releases what was acquired, so that try-with-resources plays the part of asyncio's
 * {@code async with lock:}.
 *
 * {@snippet :
 * try (var _ = lock.acquire()) {
 *     balance += amount; // no other coroutine holds the lock here
 * } // released here, also when the block throws or is cancelled
 * }
 *
 * <p>Each primitive hands out one and the same {@code Held} every time (acquiring allocates nothing), so a
 * {@code Held} does not remember whether it was closed: every {@link #close()} is one {@code release()}. Close
 * it exactly once, which try-with-resources does.
 */
public final class Held implements AutoCloseable {
    private final Runnable release;

    Held(Runnable release) {
        this.release = release;
    }

    /**
     * Releases the primitive once; same as calling its {@code release()}.
     *
     * @throws IllegalStateException as that {@code release()} does (a lock that is not locked, a bounded semaphore
     *     released too often, a call off the primitive's loop)
     */
    @Override
    public void close() {
        release.run();
    }
}
