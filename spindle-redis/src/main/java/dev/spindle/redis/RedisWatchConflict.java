package dev.spindle.redis;

/**
 * A transaction's watched keys changed before its EXEC on every attempt {@link RedisClient#transaction} made: the
 * transaction did not run.
 */
public class RedisWatchConflict extends RedisException {
    public RedisWatchConflict(String message) {
        super(message);
    }
}
