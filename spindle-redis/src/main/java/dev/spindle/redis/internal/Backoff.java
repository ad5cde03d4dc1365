package dev.spindle.redis.internal;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with full jitter (AWS's "Exponential Backoff And Jitter"): the n-th delay is uniform in
 * {@code [0, min(max, base * 2^n)]}, so clients that lost the same server do not all come back at once.
 */
public record Backoff(Duration base, Duration max) {
    public Duration delay(int attempt) {
        long cap = max.toNanos();
        long exp = base.toNanos() << Math.min(attempt, 30);
        long bound = exp <= 0 || exp > cap ? cap : exp;
        return Duration.ofNanos(ThreadLocalRandom.current().nextLong(bound + 1));
    }
}
