package dev.spindle.sync;

/**
 * Thrown by {@link LoopBarrier#await()} when the barrier is broken by {@link LoopBarrier#abort()}, or reset by
 * {@link LoopBarrier#reset()} while the caller waited (asyncio's {@code BrokenBarrierError}; unchecked, unlike
 * {@link java.util.concurrent.BrokenBarrierException}).
 *
 * {@snippet :
 * try {
 *     int index = barrier.await();
 * } catch (BrokenBarrier e) {
 *     // another party gave up: abandon this round
 * }
 * }
 */
public final class BrokenBarrier extends RuntimeException {
    /** A broken barrier error saying why. */
    public BrokenBarrier(String message) {
        super(message);
    }
}
