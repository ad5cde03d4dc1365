package dev.spindle.laundromat.notify;

import dev.spindle.redis.RedisClient;
import dev.spindle.redis.Script;
import java.time.Duration;
import java.util.List;

/**
 * A fixed-window rate limit per key in Redis: one Lua script increments the window's counter and, on its first hit,
 * sets its expiry, atomically (no window can be left without an expiry by a crash between INCR and PEXPIRE).
 *
 * {@snippet :
 * RateLimiter limiter = new RateLimiter(redis, 100, Duration.ofSeconds(10));
 * RateLimiter.Decision d = limiter.hit("customer:42");
 * if (!d.allowed()) {
 *     throw new HTTPException(429, "Too many requests", Map.of("Retry-After", d.retryAfterSeconds() + ""));
 * }
 * }
 *
 * <h2>Contract</h2>
 * Coroutines of the client's loop. Every call counts, refused ones too (a client hammering while refused stays
 * refused until the window ends). Keys live under {@code laundromat:rate:}. If Redis is unreachable the call throws
 * the client's error (the service answers 500): it does not fail open.
 */
public final class RateLimiter {
    private static final Script HIT = Script.of("""
            local n = redis.call('INCR', KEYS[1])
            if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
            local ttl = redis.call('PTTL', KEYS[1])
            if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
            return {n, ttl}
            """);

    private final RedisClient redis;
    private final int limit;
    private final Duration window;

    /** What one hit decided: allowed or not, how many hits the window has seen, when it ends. */
    public record Decision(boolean allowed, long count, long limit, long resetMillis) {
        /** Whole seconds until the window ends, at least 1 (for {@code Retry-After}). */
        public long retryAfterSeconds() {
            return Math.max(1, (resetMillis + 999) / 1000);
        }
    }

    public RateLimiter(RedisClient redis, int limit, Duration window) {
        if (limit < 1 || window.toMillis() < 1) {
            throw new IllegalArgumentException("limit and window must be positive: " + limit + ", " + window);
        }
        this.redis = redis;
        this.limit = limit;
        this.window = window;
    }

    /** Counts one request of {@code key} and says whether it is within the limit. */
    public Decision hit(String key) {
        Object reply =
                redis.evalsha(HIT, List.of("laundromat:rate:" + key), List.of(String.valueOf(window.toMillis())));
        if (!(reply instanceof List<?> l) || l.size() != 2) {
            throw new IllegalStateException("the rate-limit script answered " + reply);
        }
        long n = ((Number) l.get(0)).longValue();
        long ttl = ((Number) l.get(1)).longValue();
        return new Decision(n <= limit, n, limit, ttl);
    }

    public int limit() {
        return limit;
    }

    public Duration window() {
        return window;
    }
}
