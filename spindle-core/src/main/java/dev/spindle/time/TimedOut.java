package dev.spindle.time;

/**
 * Thrown when a deadline passes: by {@link TimeoutScope}, {@code Spindle.withTimeout}, {@code waitFor} and
 * {@code asCompleted} (asyncio's {@code TimeoutError}). Its cause is the {@link dev.spindle.task.Cancelled} that
 * stopped the work, where there was one.
 *
 * {@snippet :
 * try {
 *     withTimeout(Duration.ofSeconds(1), () -> slowCall());
 * } catch (TimedOut e) {
 *     System.out.println("gave up after a second");
 * }
 * }
 */
public class TimedOut extends RuntimeException {
    public TimedOut(String message) {
        super(message);
    }

    public TimedOut(String message, Throwable cause) {
        super(message, cause);
    }
}
