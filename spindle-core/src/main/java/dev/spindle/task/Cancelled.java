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
 *
 * <p>Pitfall: it is a {@link CancellationException}, hence an {@link IllegalStateException} and a
 * {@link RuntimeException}, so {@code catch (RuntimeException e)} or {@code catch (IllegalStateException e)} around a
 * wait also catches a cancellation (Python moved {@code CancelledError} out of {@code Exception} in 3.8 for the same
 * reason). Put a {@code catch (Cancelled c) { throw c; }} clause first when a broad catch surrounds a wait:
 *
 * {@snippet :
 * try {
 *     reply = redis.get("key");
 * } catch (Cancelled c) {
 *     throw c; // not a failure of the call: the task is being cancelled
 * } catch (RuntimeException e) {
 *     reply = fallback;
 * }
 * }
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
