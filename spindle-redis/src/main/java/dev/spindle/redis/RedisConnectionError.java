package dev.spindle.redis;

/**
 * The connection to the server could not be made or was lost. A command that failed this way after it was sent may
 * or may not have run on the server: the message says which. Commands marked idempotent are retried on a new
 * connection before this reaches the caller (see {@link RedisConfig#retries()}).
 */
public class RedisConnectionError extends RedisException {
    public RedisConnectionError(String message) {
        super(message);
    }

    public RedisConnectionError(String message, Throwable cause) {
        super(message, cause);
    }
}
