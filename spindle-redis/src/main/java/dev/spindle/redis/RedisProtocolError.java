package dev.spindle.redis;

/**
 * The server's bytes are not RESP (or break a limit of the parser). The connection that read them is closed at once
 * and every command waiting on it fails with a {@link RedisConnectionError} whose cause is this error: nothing read
 * after a framing error can be trusted to belong to anyone.
 */
public class RedisProtocolError extends RedisException {
    public RedisProtocolError(String message) {
        super(message);
    }
}
