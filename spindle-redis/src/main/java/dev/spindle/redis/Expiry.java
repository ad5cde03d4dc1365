package dev.spindle.redis;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A new time to live for GETEX: in a duration, at an instant, or none ({@code PERSIST}).
 *
 * {@snippet :
 * String v = redis.getex("session", Expiry.in(Duration.ofMinutes(30)));
 * }
 */
public final class Expiry {
    private final List<Object> args;

    private Expiry(List<Object> args) {
        this.args = args;
    }

    /** Expire after {@code ttl} ({@code PX}). */
    public static Expiry in(Duration ttl) {
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("expiry must be positive: " + ttl);
        }
        return new Expiry(List.of("PX", ttl.toMillis()));
    }

    /** Expire at {@code when} ({@code PXAT}). */
    public static Expiry at(Instant when) {
        return new Expiry(List.of("PXAT", when.toEpochMilli()));
    }

    /** Remove the time to live ({@code PERSIST}). */
    public static Expiry persist() {
        return new Expiry(List.of("PERSIST"));
    }

    List<Object> args() {
        return args;
    }

    @Override
    public String toString() {
        return "Expiry" + args;
    }
}
