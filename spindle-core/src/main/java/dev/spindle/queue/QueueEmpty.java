package dev.spindle.queue;

import java.util.NoSuchElementException;

/**
 * Thrown by {@link LoopQueue#getNowait()} when the queue holds no item (asyncio's {@code QueueEmpty}). It is a
 * {@link NoSuchElementException}, as {@link java.util.Queue#remove()} throws for the same reason.
 *
 * {@snippet :
 * try {
 *     handle(queue.getNowait());
 * } catch (QueueEmpty e) {
 *     // nothing to do now
 * }
 * }
 */
public final class QueueEmpty extends NoSuchElementException {
    private static final long serialVersionUID = 1L;

    /** An exception with the message "the queue is empty". */
    public QueueEmpty() {
        super("the queue is empty");
    }
}
