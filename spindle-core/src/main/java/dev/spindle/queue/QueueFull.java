package dev.spindle.queue;

/**
 * Thrown by {@link LoopQueue#putNowait} when a bounded queue holds {@code maxSize} items (asyncio's
 * {@code QueueFull}). It is an {@link IllegalStateException}, as {@link java.util.Queue#add} throws for the same
 * reason; the message names the queue's maximum size.
 *
 * {@snippet :
 * try {
 *     queue.putNowait(reading);
 * } catch (QueueFull e) {
 *     dropped++; // the consumer is behind: shed load instead of waiting
 * }
 * }
 */
public final class QueueFull extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /** An exception whose message names {@code maxSize}. */
    public QueueFull(int maxSize) {
        super("the queue is full (maxSize=" + maxSize + ")");
    }
}
