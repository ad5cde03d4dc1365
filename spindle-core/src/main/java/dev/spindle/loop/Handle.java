package dev.spindle.loop;

/**
 * A callback scheduled on a loop with {@link Loop#callSoon}, which can be cancelled before it runs.
 *
 * {@snippet :
 * Handle h = loop.callSoon(() -> System.out.println("never printed"));
 * h.cancel();
 * }
 *
 * <p>Not thread-safe: cancel a handle on its loop's thread (or through {@link Loop#callSoonThreadsafe}).
 */
public interface Handle {
    /** Cancels the callback: if it has not run yet, it never will. Does nothing if it already ran. */
    void cancel();

    /** Whether {@link #cancel()} was called. */
    boolean isCancelled();
}
