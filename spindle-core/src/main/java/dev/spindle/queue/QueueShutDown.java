package dev.spindle.queue;

/**
 * Thrown by a queue's operations after {@link LoopQueue#shutdown} (Python 3.13's {@code QueueShutDown}): by every
 * put, and by a get once the queue is empty (at once after an immediate shutdown, which empties it). Coroutines
 * waiting in {@code put} or in {@code get} on an empty queue when it shuts down are woken and throw it.
 *
 * <p>It is not an {@link IllegalStateException}, so that code catching misuse of the queue does not swallow the
 * ordinary end of a stream of items.
 *
 * {@snippet :
 * try {
 *     while (true) {
 *         handle(queue.get());
 *         queue.taskDone();
 *     }
 * } catch (QueueShutDown e) {
 *     // the producer said there is no more
 * }
 * }
 */
public final class QueueShutDown extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** An exception with the message "the queue is shut down". */
    public QueueShutDown() {
        super("the queue is shut down");
    }
}
