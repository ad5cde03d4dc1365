package dev.spindle.redis;

/**
 * Every pooled connection stayed busy for the whole {@link RedisConfig#poolTimeout()}: the pool is too small for the
 * load, or connections are held too long (a transaction left open, a slow script). Nothing was sent.
 */
public class RedisPoolExhausted extends RedisException {
    public RedisPoolExhausted(String message) {
        super(message);
    }
}
