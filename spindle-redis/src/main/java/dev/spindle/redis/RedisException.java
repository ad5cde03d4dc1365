package dev.spindle.redis;

/**
 * The root of what Spindle's Redis client throws (besides core's {@link dev.spindle.task.Cancelled} and
 * {@link dev.spindle.time.TimedOut}, which keep their meaning). Unchecked.
 */
public class RedisException extends RuntimeException {
    public RedisException(String message) {
        super(message);
    }

    public RedisException(String message, Throwable cause) {
        super(message, cause);
    }
}
