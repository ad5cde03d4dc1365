package dev.spindle.redis.internal;

import dev.spindle.Spindle;
import dev.spindle.loop.Loop;
import dev.spindle.redis.RedisConfig;
import dev.spindle.redis.RedisConnectionError;
import java.time.Duration;

/**
 * Opens connections with a shared reconnect backoff: after a failed connect, the next attempt waits a jittered,
 * doubling delay ({@link Backoff}); a success resets it. Loop-confined.
 */
public final class Connector {
    private final RedisConfig config;
    private final Backoff backoff;
    private final boolean readOnly;
    private int failures;
    private long nextAttemptNanos;

    public Connector(RedisConfig config) {
        this(config, false);
    }

    /** A connector whose connections send READONLY after the handshake when {@code readOnly} (cluster replicas). */
    public Connector(RedisConfig config, boolean readOnly) {
        this.config = config;
        this.backoff = new Backoff(config.backoffBase(), config.backoffMax());
        this.readOnly = readOnly;
    }

    public RedisConfig config() {
        return config;
    }

    public Backoff backoff() {
        return backoff;
    }

    /** Waits out the backoff if the last attempt failed, then connects and runs the handshake. */
    public RedisConnection open() {
        Loop loop = Loop.current();
        long wait = nextAttemptNanos - loop.nanoTime();
        if (failures > 0 && wait > 0) {
            Spindle.sleep(Duration.ofNanos(wait));
        }
        try {
            RedisConnection c = RedisConnection.open(config, readOnly);
            failures = 0;
            return c;
        } catch (RedisConnectionError e) {
            nextAttemptNanos = loop.nanoTime() + backoff.delay(failures).toNanos();
            failures++;
            throw e;
        }
    }

    /** Connect attempts that failed in a row. */
    public int failures() {
        return failures;
    }
}
