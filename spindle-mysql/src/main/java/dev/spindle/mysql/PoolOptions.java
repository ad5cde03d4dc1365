package dev.spindle.mysql;

import java.time.Duration;

/**
 * How a {@link MySqlPool} sizes, checks and recycles its connections. Immutable; made with {@link #builder()}.
 *
 * {@snippet :
 * PoolOptions p = PoolOptions.builder().minSize(2).maxSize(20).acquireTimeout(Duration.ofSeconds(5)).build();
 * }
 *
 * @param minSize connections kept open even when idle (opened in the background); 0 by default
 * @param maxSize the most connections open at once; 10 by default
 * @param acquireTimeout the longest {@link MySqlPool#acquire()} waits for a free connection; 30 s by default
 * @param validateAfterIdle a connection idle longer than this is pinged before it is handed out; 2 s by default
 * @param idleTimeout an idle connection beyond {@code minSize} is closed after this; 10 min by default
 * @param maxLifetime a connection is closed (at its next return) once this old; 30 min by default
 * @param reset what returning a connection resets: {@link Reset#ROLLBACK} by default
 */
public record PoolOptions(
        int minSize,
        int maxSize,
        Duration acquireTimeout,
        Duration validateAfterIdle,
        Duration idleTimeout,
        Duration maxLifetime,
        Reset reset) {

    /** Session state reset when a connection goes back to the pool. */
    public enum Reset {
        /** Roll back an open transaction (known from the server's status flags, so free otherwise). */
        ROLLBACK,
        /**
         * COM_RESET_CONNECTION: also drops temporary tables, user variables, session settings and the connection's
         * prepared statements (so the statement cache starts over); one round trip per return.
         */
        FULL
    }

    public PoolOptions {
        if (minSize < 0 || maxSize < 1 || minSize > maxSize) {
            throw new IllegalArgumentException("pool sizes: need 0 <= minSize <= maxSize and maxSize >= 1, not minSize="
                    + minSize + " maxSize=" + maxSize);
        }
        positive("acquireTimeout", acquireTimeout);
        positive("validateAfterIdle", validateAfterIdle);
        positive("idleTimeout", idleTimeout);
        positive("maxLifetime", maxLifetime);
        if (reset == null) {
            throw new IllegalArgumentException("reset: must not be null");
        }
    }

    private static void positive(String name, Duration d) {
        if (d == null || d.isNegative()) {
            throw new IllegalArgumentException(name + ": " + d + " is not a duration >= 0");
        }
    }

    public static PoolOptions defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link PoolOptions}. */
    public static final class Builder {
        private int minSize = 0;
        private int maxSize = 10;
        private Duration acquireTimeout = Duration.ofSeconds(30);
        private Duration validateAfterIdle = Duration.ofSeconds(2);
        private Duration idleTimeout = Duration.ofMinutes(10);
        private Duration maxLifetime = Duration.ofMinutes(30);
        private Reset reset = Reset.ROLLBACK;

        private Builder() {}

        public Builder minSize(int n) {
            this.minSize = n;
            return this;
        }

        public Builder maxSize(int n) {
            this.maxSize = n;
            return this;
        }

        public Builder acquireTimeout(Duration d) {
            this.acquireTimeout = d;
            return this;
        }

        public Builder validateAfterIdle(Duration d) {
            this.validateAfterIdle = d;
            return this;
        }

        public Builder idleTimeout(Duration d) {
            this.idleTimeout = d;
            return this;
        }

        public Builder maxLifetime(Duration d) {
            this.maxLifetime = d;
            return this;
        }

        public Builder reset(Reset r) {
            this.reset = r;
            return this;
        }

        public PoolOptions build() {
            return new PoolOptions(
                    minSize, maxSize, acquireTimeout, validateAfterIdle, idleTimeout, maxLifetime, reset);
        }
    }
}
