package dev.spindle.task;

import java.util.concurrent.CancellationException;

/**
 * Thrown inside a task where it waits, when the task is cancelled (asyncio's {@code CancelledError}), and by
 * {@link LoopFuture#result()} of a cancelled future.
 *
 * {@snippet :
 * Task<Void> t = spawn(() -> {
 *     try {
 *         sleep(Duration.ofHours(1));
 *     } finally {
 *         System.out.println("cleanup runs");
 *     }
 * });
 * sleep(Duration.ZERO);
 * t.cancel("no longer needed");
 * }
 *
 * <p>A task may catch it to clean up, but should rethrow it: a task that swallows its cancellation keeps running,
 * and timeouts and task groups that rely on it can no longer tell what happened.
 */
public class Cancelled extends CancellationException {
    public Cancelled() {
        super();
    }

    public Cancelled(String message) {
        super(message);
    }

    public Cancelled(String message, Throwable cause) {
        super(message);
        initCause(cause);
    }
}
