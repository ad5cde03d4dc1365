package dev.spindle.task;

/**
 * When {@link Tasks#waitTasks} returns (asyncio's {@code return_when}).
 *
 * {@snippet :
 * WaitResult<String> r = waitTasks(tasks, ReturnWhen.FIRST_COMPLETED, Duration.ofSeconds(1));
 * }
 */
public enum ReturnWhen {
    /** As soon as any future is done (or cancelled). */
    FIRST_COMPLETED,
    /** As soon as any future fails with an exception other than a cancellation, or when all are done. */
    FIRST_EXCEPTION,
    /** When all futures are done. */
    ALL_COMPLETED
}
